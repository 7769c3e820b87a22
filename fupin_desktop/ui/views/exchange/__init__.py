"""数据交换: export the upward package, import rosters, merge packages, township summary."""
