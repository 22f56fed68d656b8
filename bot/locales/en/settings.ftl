## /settings: the panel (handlers/settings_panel.py) and the list of settings

settings-unknown = I don't know the setting “{ $name }”. I know: { $known }.
settings-panel-hint = Tap a feature below to see and change its settings. Each one can also be typed, such as /{ -cmd-settings } recaptime 18:30.
settings-panel-open-group = 🌍 Language, time zone, topic
settings-panel-open-ledger = 🤝 Help ledger
settings-panel-open-prompts = 💬 Prompts
settings-panel-open-recap = 📊 Weekly recap
settings-panel-open-intros = 👋 Introductions
settings-panel-back = ◀ All settings
settings-panel-done = Done
settings-panel-main-chat = Post in the main chat
settings-panel-closed = ✅ Panel closed: every change is already saved. Send /{ -cmd-settings } to open it again.
settings-panel-typed = Or type it:

## Refusals (a button's alert: plain text, at most 200 characters)

settings-panel-forged = This button doesn't belong to a settings panel of this group. Nothing changed.
settings-panel-not-admin = Only the group's admins can use this panel. Nothing changed.
settings-panel-stale = This panel is more than a day old: send /{ -cmd-settings } for a new one. Nothing changed.

## The pages

settings-language-name = { $language ->
        [it] Italian
       *[en] English
    }
settings-panel-group =
    <b>Language, time zone and topic</b>
    Language: { $language }
    Time zone: { $timezone } (it's { $time } here now)
    Where I post: { $topic }
    Newcomers' welcome: { $welcome ->
        [on] on
       *[off] off
    }

    Tap a language to switch. For another time zone, type its Area/City name, such as:
    /{ -cmd-settings } timezone Europe/London
    { $forum ->
        [yes] To post in a topic, send /{ -cmd-settings } topic from inside that topic.
       *[no] This group has no topics, so I post in the main chat.
    }
settings-panel-ledger =
    <b>Help ledger</b>
    State: { $state ->
        [on] on
       *[off] off
    }
    Scored thanks per person per day: { $quota }
    Scored thanks between the same two people per week: { $paircap }
    Reactions that count: { $reactions }
settings-panel-prompts =
    <b>Conversation prompts</b>
    { $line }
    Pinned: { $pin ->
        [on] yes
       *[off] no
    }
    I hold a prompt back while there are more than { $busy ->
        [one] one message
       *[other] { $busy } messages
    } in 30 minutes.

    Other days, times or quiet hours, typed:
    /{ -cmd-settings } promptschedule mon,thu 09:30
    /{ -cmd-settings } quiethours 23:00-07:00
    The deck, suggestions and topic of prompts: /{ -cmd-prompts }
settings-panel-recap =
    <b>Weekly recap</b>
    State: { $state ->
        [on] on, every { $day } at { $time } (the group's time), { $image ->
            [on] with a chart
           *[off] without a chart
        }
       *[off] off
    }

    Another time, typed: /{ -cmd-settings } recaptime 18:30
settings-panel-intros =
    <b>Introductions</b>
    { $line }

    Another time, typed: /{ -cmd-settings } introstime 18:30
settings-panel-intros-later = Once they are on, the same two people meet again after { $repeat ->
        [one] one round
       *[other] { $repeat } rounds
    } at the earliest, and I ask “did you meet?” { $followup ->
        [one] the day after an introduction
       *[other] { $followup } days after an introduction
    }.

## Button labels (plain text)

settings-choice-language = { $value ->
        [it] 🇮🇹 Italiano
       *[en] 🇬🇧 English
    }
settings-choice-welcome = { $value ->
        [on] Welcome newcomers
       *[off] No welcome
    }
settings-choice-ledger = { $value ->
        [on] Ledger on
       *[off] Ledger off
    }
settings-choice-quota = { $value } a day
settings-choice-paircap = { $value } per pair
settings-choice-prompts = { $value ->
        [on] Prompts on
       *[off] Prompts off
    }
settings-choice-promptdays = { $value }
settings-choice-days-weekdays = Mon–Fri
settings-choice-days-daily = Every day
settings-choice-prompttime = { $value }
settings-choice-quiethours = { $value ->
        [off] No quiet hours
       *[other] Quiet { $value }
    }
settings-choice-promptpin = { $value ->
        [on] 📌 Pin them
       *[off] Don't pin
    }
settings-choice-promptbusy = Busy: { $value }
settings-choice-recap = { $value ->
        [on] Recap on
       *[off] Recap off
    }
settings-choice-recapday = { $value }
settings-choice-recaptime = { $value }
settings-choice-recapimage = { $value ->
        [on] With chart
       *[off] No chart
    }
settings-choice-intros = { $value ->
        [on] Introductions on
       *[off] Introductions off
    }
settings-choice-introsevery = { $value ->
        [1] Weekly
        [2] Every 2 weeks
       *[other] Every { $value } weeks
    }
settings-choice-introsday = { $value }
settings-choice-introstime = { $value }
settings-choice-introsrepeat = { $value ->
        [one] Again after one round
       *[other] Again after { $value } rounds
    }
settings-choice-introsfollowup = { $value ->
        [one] Ask after one day
       *[other] Ask after { $value } days
    }

## Asks (handlers/asks): the panel's page

settings-panel-open-asks = 🙋 Asks
settings-panel-asks =
    <b>Asks</b>
    Asks are { $state ->
        [on] on
       *[off] off
    }. A member may have { $open ->
        [one] one open ask
       *[other] { $open } open asks
    } at once; each is sent in private to up to { $routed ->
        [one] one member
       *[other] { $routed } members
    } who offer it, nobody gets more than { $weekly ->
        [one] one a week
       *[other] { $weekly } a week
    }, and an ask stays open { $days ->
        [one] one day
       *[other] { $days } days
    }.

    Typed: /{ -cmd-settings } asksexpiry 21
settings-choice-asks = { $value ->
        [on] Asks on
       *[off] Asks off
    }
settings-choice-askslimit = { $value ->
        [one] One open ask each
       *[other] { $value } open each
    }
settings-choice-asksrouted = Tell { $value }
settings-choice-asksweekly = { $value ->
        [one] One a week each
       *[other] { $value } a week each
    }
settings-choice-asksexpiry = { $value ->
        [one] One day
       *[other] { $value } days
    }
settings-asks-set =
    Asks are { $state ->
        [on] on
       *[off] off
    }. A member may have { $open ->
        [one] one open ask
       *[other] { $open } open asks
    } at once; each is sent in private to up to { $routed ->
        [one] one member
       *[other] { $routed } members
    } who offer it, nobody gets more than { $weekly ->
        [one] one a week
       *[other] { $weekly } a week
    }, and an ask stays open { $days ->
        [one] one day
       *[other] { $days } days
    }.
