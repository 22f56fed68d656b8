## Date e orari (bot/dates.py): Babel scrive giorno e mese, qui c'è quello che li circonda.
## $dayofmonth è il giorno del mese: l'8 e l'11 vogliono l'apostrofo (dall'8, fino all'11).

dates-day-at = { $day } { $hour ->
        [1] all'{ $time }
       *[other] alle { $time }
    }
dates-since = { $dayofmonth ->
        [8] dall'{ $date }
        [11] dall'{ $date }
       *[other] dal { $date }
    }
dates-from = { $dayofmonth ->
        [8] dall'{ $date }
        [11] dall'{ $date }
       *[other] dal { $date }
    }
dates-until = { $dayofmonth ->
        [8] fino all'{ $date }
        [11] fino all'{ $date }
       *[other] fino al { $date }
    }

## I giorni di un orario settimanale ($days: "lunedì e giovedì")
dates-every = ogni { $days }
dates-every-day = ogni giorno
dates-working-week = dal lunedì al venerdì
dates-weekend = ogni sabato e domenica
