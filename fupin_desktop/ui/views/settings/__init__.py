"""设置: program settings. For now only the interface language of this laptop."""
