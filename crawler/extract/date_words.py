"""The words dates are written with, per language: months, weekdays, "ago" phrases.

Kept as plain tables so that adding a language is adding a row, and so that the date grammar in
`dates.py` can be built from exactly the languages a page is written in. Abbreviations are
listed without their dot (the grammar allows one). No word maps to two different months in
two languages, so tables of several languages can be merged safely.
"""

from __future__ import annotations

MONTHS: dict[str, dict[str, int]] = {
    "it": {
        **dict.fromkeys(("gennaio", "gen"), 1),
        **dict.fromkeys(("febbraio", "feb"), 2),
        **dict.fromkeys(("marzo", "mar"), 3),
        **dict.fromkeys(("aprile", "apr"), 4),
        **dict.fromkeys(("maggio", "mag"), 5),
        **dict.fromkeys(("giugno", "giu"), 6),
        **dict.fromkeys(("luglio", "lug"), 7),
        **dict.fromkeys(("agosto", "ago"), 8),
        **dict.fromkeys(("settembre", "sett", "set"), 9),
        **dict.fromkeys(("ottobre", "ott"), 10),
        **dict.fromkeys(("novembre", "nov"), 11),
        **dict.fromkeys(("dicembre", "dic"), 12),
    },
    "en": {
        **dict.fromkeys(("january", "jan"), 1),
        **dict.fromkeys(("february", "feb"), 2),
        **dict.fromkeys(("march", "mar"), 3),
        **dict.fromkeys(("april", "apr"), 4),
        **dict.fromkeys(("may",), 5),
        **dict.fromkeys(("june", "jun"), 6),
        **dict.fromkeys(("july", "jul"), 7),
        **dict.fromkeys(("august", "aug"), 8),
        **dict.fromkeys(("september", "sept", "sep"), 9),
        **dict.fromkeys(("october", "oct"), 10),
        **dict.fromkeys(("november", "nov"), 11),
        **dict.fromkeys(("december", "dec"), 12),
    },
    "de": {
        **dict.fromkeys(("januar", "jänner", "jan"), 1),
        **dict.fromkeys(("februar", "feber", "feb"), 2),
        **dict.fromkeys(("märz", "mär", "mrz"), 3),
        **dict.fromkeys(("april", "apr"), 4),
        **dict.fromkeys(("mai",), 5),
        **dict.fromkeys(("juni", "jun"), 6),
        **dict.fromkeys(("juli", "jul"), 7),
        **dict.fromkeys(("august", "aug"), 8),
        **dict.fromkeys(("september", "sept", "sep"), 9),
        **dict.fromkeys(("oktober", "okt"), 10),
        **dict.fromkeys(("november", "nov"), 11),
        **dict.fromkeys(("dezember", "dez"), 12),
    },
    "fr": {
        **dict.fromkeys(("janvier", "janv", "jan"), 1),
        **dict.fromkeys(("février", "fevrier", "févr", "fév", "fevr"), 2),
        **dict.fromkeys(("mars",), 3),
        **dict.fromkeys(("avril", "avr"), 4),
        **dict.fromkeys(("mai",), 5),
        **dict.fromkeys(("juin",), 6),
        **dict.fromkeys(("juillet", "juil"), 7),
        **dict.fromkeys(("août", "aout"), 8),
        **dict.fromkeys(("septembre", "sept"), 9),
        **dict.fromkeys(("octobre", "oct"), 10),
        **dict.fromkeys(("novembre", "nov"), 11),
        **dict.fromkeys(("décembre", "decembre", "déc", "dec"), 12),
    },
    "es": {
        **dict.fromkeys(("enero", "ene"), 1),
        **dict.fromkeys(("febrero", "feb"), 2),
        **dict.fromkeys(("marzo", "mar"), 3),
        **dict.fromkeys(("abril", "abr"), 4),
        **dict.fromkeys(("mayo", "may"), 5),
        **dict.fromkeys(("junio", "jun"), 6),
        **dict.fromkeys(("julio", "jul"), 7),
        **dict.fromkeys(("agosto", "ago"), 8),
        **dict.fromkeys(("septiembre", "setiembre", "sept", "sep", "set"), 9),
        **dict.fromkeys(("octubre", "oct"), 10),
        **dict.fromkeys(("noviembre", "nov"), 11),
        **dict.fromkeys(("diciembre", "dic"), 12),
    },
    "pt": {
        **dict.fromkeys(("janeiro", "jan"), 1),
        **dict.fromkeys(("fevereiro", "fev"), 2),
        **dict.fromkeys(("março", "marco", "mar"), 3),
        **dict.fromkeys(("abril", "abr"), 4),
        **dict.fromkeys(("maio", "mai"), 5),
        **dict.fromkeys(("junho", "jun"), 6),
        **dict.fromkeys(("julho", "jul"), 7),
        **dict.fromkeys(("agosto", "ago"), 8),
        **dict.fromkeys(("setembro", "set"), 9),
        **dict.fromkeys(("outubro", "out"), 10),
        **dict.fromkeys(("novembro", "nov"), 11),
        **dict.fromkeys(("dezembro", "dez"), 12),
    },
}

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "it": (
        *("lunedì", "lunedi", "martedì", "martedi", "mercoledì", "mercoledi", "giovedì"),
        *("giovedi", "venerdì", "venerdi", "sabato", "domenica"),
        *("lun", "mar", "mer", "gio", "ven", "sab", "dom"),
    ),
    "en": (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
    ),
    "de": (
        *("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend"),
        *("sonntag", "mo", "di", "mi", "do", "fr", "sa", "so"),
    ),
    "fr": (
        *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        *("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
    ),
    "es": (
        *("lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado"),
        *("sabado", "domingo", "lun", "mar", "mié", "mie", "jue", "vie", "sáb", "sab", "dom"),
    ),
    "pt": (
        *("segunda-feira", "terça-feira", "terca-feira", "quarta-feira", "quinta-feira"),
        *("sexta-feira", "segunda", "terça", "terca", "quarta", "quinta", "sexta", "sábado"),
        *("sabado", "domingo", "seg", "ter", "qua", "qui", "sex", "sáb", "sab", "dom"),
    ),
}

# Words between day, month, year and time: "le lundi 29 octobre 2012 à 15h46",
# "28 de agosto de 2018 às 19:38", "Montag, 29. Oktober 2012 um 15:46". A weekday before the
# date needs no rule: the date is searched for, not matched from the first word.
DATE_JOINERS = ("de", "del", "of")
TIME_JOINERS = (
    *("alle ore", "alle", "ore", "at", "à", "a las", "a la", "às", "as", "um", "kl"),
    *("@", ",", "-", "–", "—", "|"),
)

# Units of "N units ago", singular and plural, each to its length in (kind, amount).
UNITS: dict[str, dict[str, tuple[str, int]]] = {
    "it": {
        **dict.fromkeys(("secondo", "secondi", "sec"), ("seconds", 1)),
        **dict.fromkeys(("minuto", "minuti", "min"), ("minutes", 1)),
        **dict.fromkeys(("ora", "ore"), ("hours", 1)),
        **dict.fromkeys(("giorno", "giorni", "gg"), ("days", 1)),
        **dict.fromkeys(("settimana", "settimane"), ("days", 7)),
        **dict.fromkeys(("mese", "mesi"), ("months", 1)),
        **dict.fromkeys(("anno", "anni"), ("years", 1)),
    },
    "en": {
        **dict.fromkeys(("second", "seconds", "sec", "secs"), ("seconds", 1)),
        **dict.fromkeys(("minute", "minutes", "min", "mins"), ("minutes", 1)),
        **dict.fromkeys(("hour", "hours", "hr", "hrs"), ("hours", 1)),
        **dict.fromkeys(("day", "days"), ("days", 1)),
        **dict.fromkeys(("week", "weeks", "wk", "wks"), ("days", 7)),
        **dict.fromkeys(("month", "months"), ("months", 1)),
        **dict.fromkeys(("year", "years", "yr", "yrs"), ("years", 1)),
    },
    "de": {
        **dict.fromkeys(("sekunde", "sekunden", "sek"), ("seconds", 1)),
        **dict.fromkeys(("minute", "minuten", "min"), ("minutes", 1)),
        **dict.fromkeys(("stunde", "stunden", "std"), ("hours", 1)),
        **dict.fromkeys(("tag", "tagen", "tage"), ("days", 1)),
        **dict.fromkeys(("woche", "wochen"), ("days", 7)),
        **dict.fromkeys(("monat", "monaten", "monate"), ("months", 1)),
        **dict.fromkeys(("jahr", "jahren", "jahre"), ("years", 1)),
    },
    "fr": {
        **dict.fromkeys(("seconde", "secondes", "sec"), ("seconds", 1)),
        **dict.fromkeys(("minute", "minutes", "min"), ("minutes", 1)),
        **dict.fromkeys(("heure", "heures", "h"), ("hours", 1)),
        **dict.fromkeys(("jour", "jours", "j"), ("days", 1)),
        **dict.fromkeys(("semaine", "semaines"), ("days", 7)),
        **dict.fromkeys(("mois",), ("months", 1)),
        **dict.fromkeys(("an", "ans", "année", "années"), ("years", 1)),
    },
    "es": {
        **dict.fromkeys(("segundo", "segundos", "seg"), ("seconds", 1)),
        **dict.fromkeys(("minuto", "minutos", "min"), ("minutes", 1)),
        **dict.fromkeys(("hora", "horas"), ("hours", 1)),
        **dict.fromkeys(("día", "días", "dia", "dias"), ("days", 1)),
        **dict.fromkeys(("semana", "semanas"), ("days", 7)),
        **dict.fromkeys(("mes", "meses"), ("months", 1)),
        **dict.fromkeys(("año", "años", "ano", "anos"), ("years", 1)),
    },
    "pt": {
        **dict.fromkeys(("segundo", "segundos", "seg"), ("seconds", 1)),
        **dict.fromkeys(("minuto", "minutos", "min"), ("minutes", 1)),
        **dict.fromkeys(("hora", "horas"), ("hours", 1)),
        **dict.fromkeys(("dia", "dias"), ("days", 1)),
        **dict.fromkeys(("semana", "semanas"), ("days", 7)),
        **dict.fromkeys(("mês", "mes", "meses"), ("months", 1)),
        **dict.fromkeys(("ano", "anos"), ("years", 1)),
    },
}
# "un'ora fa", "an hour ago", "vor einer Stunde", "il y a une heure", "hace una hora".
ONE = {
    "it": ("un", "uno", "una", "un'"),
    "en": ("a", "an", "one"),
    "de": ("ein", "eine", "einer", "einem", "einen"),
    "fr": ("un", "une"),
    "es": ("un", "una", "uno"),
    "pt": ("um", "uma"),
}
# Where the "ago" goes: after the amount ("3 giorni fa") or before it ("hace 3 días").
AGO_AFTER = {"it": ("fa",), "en": ("ago",), "pt": ("atrás", "atras")}
AGO_BEFORE = {"de": ("vor",), "fr": ("il y a",), "es": ("hace",), "pt": ("há",)}
# Days named by their distance from today, with an optional time ("ieri alle 10:15").
NAMED_DAYS = {
    "it": {"oggi": 0, "ieri": 1, "l'altro ieri": 2, "altro ieri": 2},
    "en": {"today": 0, "yesterday": 1},
    "de": {"heute": 0, "gestern": 1, "vorgestern": 2},
    "fr": {"aujourd'hui": 0, "hier": 1, "avant-hier": 2},
    "es": {"hoy": 0, "ayer": 1, "anteayer": 2},
    "pt": {"hoje": 0, "ontem": 1, "anteontem": 2},
}

LANGUAGES = tuple(MONTHS)
