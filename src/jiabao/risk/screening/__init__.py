"""Name screening (名单筛查): the pure engine and batch runner, screening cases and the review queue."""
