## Schedules shared by prompts, introductions and recaps

settings-bad-weekday = “{ $value }” is not a day of the week. Write it like: mon, monday, lun, lunedì.
settings-bad-days = “{ $value }” is not a list of days. Write them like: mon,thu — or daily, weekdays, weekend.
settings-days-twice = “{ $day }” appears twice in “{ $value }”. Name each day once, like: mon,thu
settings-bad-time = “{ $value }” is not a time of day. Use the 24-hour clock, like 09:30 or 18:00.
