"""The schedule stage: the whole cycle (crawl, score, alerts, report) once or on a cron schedule.

`cycle.run_once` is `passaparola run`; `scheduler.run_scheduler` is `passaparola schedule`.
This package's own import stays light (the config imports `crontab` to validate `[schedule]`).
"""
