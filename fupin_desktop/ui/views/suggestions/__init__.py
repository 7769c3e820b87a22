"""意见建议: the list of suggestions the cadres made and the form of one (opened from the diary and work log pages
through ui.navigation)."""
