## Dates and times (bot/dates.py): Babel writes the day and month, this file what goes around them.
## $hour and $dayofmonth are there for Italian ("all'01:00", "dall'8 dicembre"); English
## needs neither, so each is a choice with one answer.

dates-day-at = { $hour ->
       *[other] { $day } at { $time }
    }
dates-since = { $dayofmonth ->
       *[other] since { $date }
    }
dates-from = { $dayofmonth ->
       *[other] from { $date }
    }
dates-until = { $dayofmonth ->
       *[other] until { $date }
    }

## The days of a weekly schedule ($days: "Monday and Thursday")
dates-every = every { $days }
dates-every-day = every day
dates-working-week = every weekday
dates-weekend = every Saturday and Sunday
