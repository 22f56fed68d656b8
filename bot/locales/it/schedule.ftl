## Orari condivisi da spunti, presentazioni e riepiloghi

settings-bad-weekday = “{ $value }” non è un giorno della settimana. Scrivilo così: lun, lunedì, mon, monday.
settings-bad-days = “{ $value }” non è un elenco di giorni. Scrivili così: lun,gio — oppure ogni giorno, feriali, weekend.
settings-days-twice = “{ $day }” compare due volte in “{ $value }”. Indica ogni giorno una sola volta, per esempio: lun,gio
settings-bad-time = “{ $value }” non è un orario. Usa le 24 ore, per esempio 09:30 o 18:00.
