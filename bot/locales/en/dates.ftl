## Dates and times (bot/dates.py): Babel writes the day and month, this file what goes around them.
## $dayofmonth is the day of the month (Italian needs it for "dall'8"; English ignores it).

dates-day-at = { $day } at { $time }
dates-since = since { $date }
dates-from = from { $date }
dates-until = until { $date }

## The days of a weekly schedule ($days: "Monday and Thursday")
dates-every = every { $days }
dates-every-day = every day
dates-working-week = every weekday
dates-weekend = every Saturday and Sunday
