# Rete — introductions (English). Every message is Telegram HTML; arguments are escaped.

cmd-interests = Your interests, what you offer and what you seek
cmd-intros = Introductions: join here, or your status in private
cmd-meet = An introduction now, to your best match (once a week)
cmd-whoknows = Who here knows about a topic: /{ -cmd-whoknows } python
cmd-introduce = Introduce two members to each other (admins)

settings-bad-cadence = “{ $value }” is not a cadence I know. Use weekly, 2 (every two weeks) or 4 (every four weeks).

## Words

intros-none = —
intros-and = { " " }and{ " " }
intros-kind-interest = interests
intros-kind-offer = things you can help with
intros-kind-seek = things you are looking for
intros-kind-remove = tags to remove
intros-day-0 = Monday
intros-day-1 = Tuesday
intros-day-2 = Wednesday
intros-day-3 = Thursday
intros-day-4 = Friday
intros-day-5 = Saturday
intros-day-6 = Sunday
intros-when = { $every ->
        [1] every { $day } at { $time }
        [2] every two weeks on { $day } at { $time }
        [4] every four weeks on { $day } at { $time }
       *[other] every { $every } weeks on { $day } at { $time }
    }
intros-open-private = Open the private chat
intros-not-admin = Sorry, only the group's admins can do that.
intros-button-stale = This button is no longer valid: the introduction was cancelled, already answered or replaced. Nothing changed.
intros-hidden-member = a member who keeps their name private

## /settings

intros-settings-line = Introductions: { $state ->
        [on] on — { $when } (next: { $next }); the same two meet again after { $repeat ->
            [one] one round
           *[other] { $repeat } rounds
        } at the earliest; I ask how it went { $followup ->
            [one] the next day
           *[other] after { $followup } days
        }
       *[off] off — /{ -cmd-settings } intros on to start them (every two weeks on Monday at 10:00; change with /{ -cmd-settings } introsevery 1|2|4, introsday, introstime)
    }
intros-settings-set = ✅ Introductions: { $when } (next round: { $next }). The same two meet again after { $repeat ->
        [one] one round
       *[other] { $repeat } rounds
    } at the earliest; I ask how it went { $followup ->
        [one] the next day
       *[other] after { $followup } days
    }.
intros-settings-off = ✅ Introductions are off in this group. Nobody will be paired until an admin turns them on again.

## /interests

intros-interests =
    <b>Your tags</b>
    🎯 Interests: { $interests }
    🤝 I can help with: { $offers }
    🔎 I'm looking for: { $seeks }

    Only tags you share with someone are shown to them when I introduce you.
    Type them separated by commas:
    /{ -cmd-interests } python, hiking
    /{ -cmd-interests } offer mentoring, design
    /{ -cmd-interests } seek a cofounder
    /{ -cmd-interests } remove hiking
    or use the buttons below.
intros-interests-in-group = Your interests are best set in private: press the button and send /{ -cmd-interests } there.
intros-suggest-interest = + { $tag }
intros-suggest-offer = + { $tag } (I can help)
intros-suggest-seek = + { $tag } (I'm looking for)
intros-button-add-interest = ✏️ Interests
intros-button-add-offer = ✏️ I can help with
intros-button-add-seek = ✏️ I'm looking for
intros-button-remove = 🗑 Remove tags
intros-type-tags = Send me { $kind ->
        [offer] what you can help with
        [seek] what you're looking for
       *[interest] your interests
    }, separated by commas (for example: python, hiking, board games).
intros-type-remove = Send me the tags to remove, separated by commas.
intros-tags-added = { $count ->
        [0] Nothing new: you already had all of those in { $kind ->
            [offer] what you can help with
            [seek] what you're looking for
           *[interest] your interests
        }.
        [one] ✅ Added one tag to { $kind ->
            [offer] what you can help with
            [seek] what you're looking for
           *[interest] your interests
        }.
       *[other] ✅ Added { $count } tags to { $kind ->
            [offer] what you can help with
            [seek] what you're looking for
           *[interest] your interests
        }.
    }
intros-tags-removed = { $count ->
        [0] You had none of those tags: nothing removed.
        [one] 🗑 Removed one tag.
       *[other] 🗑 Removed { $count } tags.
    }
intros-tags-empty = I found no tags there. Type them separated by commas, for example: /{ -cmd-interests } python, hiking
intros-tag-html = “{ $tag }” can't be a tag: tags can't contain &lt; or &gt;. Nothing changed.
intros-tag-invalid = “{ $tag }” contains invisible or control characters. Nothing changed.
intros-tag-too-long = “{ $tag }” is too long for a tag: at most { $max } characters. Nothing changed.
intros-tag-no-words = “{ $tag }” has no letters or digits: a tag needs at least one word. Nothing changed.
intros-tags-too-many = That's { $count } at once: at most { $max } tags per kind. Nothing changed.
intros-tags-kind-full = That would make { $count } tags in { $kind ->
        [offer] what you can help with
        [seek] what you're looking for
       *[interest] your interests
    }: the most is { $max }. Remove some first (/{ -cmd-interests } remove …). Nothing changed.

## Joining

intros-invitation =
    🤝 <b>Introductions</b> are on in this group ({ $when }): I introduce members who share interests, or where one can help with what the other is looking for — in private, and only those who joined.
    Press the button to join; you can pause or stop at any time.
intros-button-join = 🤝 Join introductions
intros-off-here = Introductions are off in this group. Admins can turn them on with /{ -cmd-settings } intros on.
intros-join-confirm =
    Join introductions in <b>{ $title }</b>?
    I'll write to you here with someone from the group you should meet, and why: { $when }. They will see only your name, your username and the tags you have in common.
    You can pause or stop at any time with /{ -cmd-intros }.
intros-button-confirm = ✅ Yes, introduce me
intros-join-unknown = I don't know that group (any more). Ask there for a new link with /{ -cmd-intros }.
intros-join-not-member = You're not a member of that group (or Telegram couldn't confirm it), so you can't join its introductions. Join the group first, then press its button again.
intros-join-off = Introductions are off in { $title } right now; nothing to join.
intros-joined = ✅ You're in for introductions in { $title }. Next round: { $next }. /{ -cmd-intros } shows your status and lets you pause or stop.
intros-joined-need-tags = One more step: tell me what you care about, what you can help with and what you are looking for, so I can find you good matches.

## /intros in private

intros-status =
    <b>Your introductions</b>
    { $groups }

    Never pair me with: { $never }

    /{ -cmd-intros } pause 31/12 — pause everywhere until a date
    /{ -cmd-intros } stop — stop everywhere; /{ -cmd-intros } restart — start again
    /{ -cmd-intros } never @username — never pair me with someone (/{ -cmd-intros } never remove @username)
    /{ -cmd-interests } — your tags; /{ -cmd-meet } — an introduction now
intros-status-line = • { $title }: { $state }
intros-status-none = You haven't joined introductions in any group yet. In a group where they are on, send /{ -cmd-intros } and press “Join introductions”.
intros-state-active = active, next round { $next }
intros-state-paused = paused (send /{ -cmd-intros } restart to come back)
intros-state-paused-until = paused { $until }
intros-state-stopped = stopped
intros-state-group-off = joined, but the group's admins have turned introductions off
intros-button-pause = ⏸ { $title }: { $days ->
        [one] one day
       *[other] { $days } days
    }
intros-button-stop = ⏹ { $title }: stop
intros-button-restart = ▶️ { $title }: restart
intros-paused = ⏸ Introductions in { $title } are paused { $until }; then they restart by themselves.
intros-paused-all = ⏸ Introductions are paused everywhere { $until }; then they restart by themselves.
intros-stopped = ⏹ Introductions in { $title } are stopped. Press restart whenever you like.
intros-stopped-all = ⏹ Introductions are stopped in all your groups.
intros-restarted = ▶️ Introductions in { $title } are on again.
intros-restarted-all = ▶️ Introductions are on again in all your groups.
intros-pause-usage = Tell me until when, as a future date within a year: /{ -cmd-intros } pause 31/12 or /{ -cmd-intros } pause 2026-12-31
intros-private-usage = I didn't understand. Use /{ -cmd-intros } alone for your status, or: /{ -cmd-intros } pause 31/12, /{ -cmd-intros } stop, /{ -cmd-intros } restart, /{ -cmd-intros } never @username
intros-stats-in-group = The numbers are for admins, in their group: send /{ -cmd-intros } stats there.
intros-never-usage = Name one person by username: /{ -cmd-intros } never @username, or /{ -cmd-intros } never remove @username
intros-unknown-username = I don't know { $name } yet: they need to have written in a group where I am.
intros-never-self = You can't put yourself on your own never-list.
intros-never-added = 🚫 I will never pair you with { $name }. They won't be told.
intros-never-already = { $name } is already on your never-list.
intros-never-removed = ✅ { $name } is off your never-list.
intros-never-not-there = { $name } wasn't on your never-list.
intros-stats =
    <b>Introductions in this group</b>
    Members who joined: { $joined }
    Introductions made: { $made } ({ $people ->
        [one] one person
       *[other] { $people } people
    })
    People who answered: { $answered }
    People who said they met: { $met }
    Last 4 weeks: { $recentmade ->
        [0] no introductions
        [one] one introduction
       *[other] { $recentmade } introductions
    }, { $recentmet ->
        [0] nobody has said they met yet
        [one] one person said they met
       *[other] { $recentmet } people said they met
    }.
intros-stats-last-round = { $count ->
        [0] Nobody was left out of the last round ({ $day }).
       *[other] Left out of the last round ({ $day }): { $count }
    }
intros-stats-left-out = • { $count }: { $why ->
        [alone] nobody else took part
        [no-shared-tags] no one with shared tags
        [met-recently] they recently met everyone they share tags with
        [no-acceptable-partner] whoever fitted them was paired with someone else
        [partner-unreachable] their partner could no longer be reached
       *[other] no partner found
    }

## The introduction

intros-dm-header = 👋 <b>{ $title }</b>: this time you're meeting { $people }.
intros-dm-partner = { $person }
    { $why }
intros-why-shared = • you both care about { $tags }
intros-why-offers = • can help with what you're looking for: { $tags }
intros-why-seeks = • is looking for help where you can give it: { $tags }
intros-why-none = • no tags in common yet: a good reason to find out what they're up to
intros-dm-by-admin = { $name } thought you two should meet: “{ $note }”
intros-dm-question = 💬 To start: { $question }
intros-question-shared = “What got you into { $tag }?”
intros-question-seeks = “I'm looking for help with { $tag }: how did you get started?”
intros-question-offers = “I saw you're looking for help with { $tag }: what are you working on?”
intros-question-none = “What brought you to { $title }?”
intros-dm-footer = Write to them when it suits you: a short hello is enough. { $days ->
        [one] Tomorrow
       *[other] In { $days } days
    } I'll ask how it went.
intros-change-of-plan = Change of plan: { $names } can't receive my messages, so here is someone else.
intros-button-write = ✍️ I'll write to them
intros-button-skip = ⏭ Skip this time
intros-button-never = 🚫 Never pair me with them
intros-answer-write = Great! Say hello whenever it suits you.
intros-answer-skip = OK, skipped. Nobody will know.
intros-answer-never = 🚫 Understood: I'll never pair you with them again. They won't be told.
intros-unmatched-alone = This round of introductions in { $title } had nobody else taking part, so I have no one for you this time. Invite others to join with /{ -cmd-intros } in the group! I won't repeat this every round: I'll write again when something changes.
intros-unmatched-none = This round in { $title } I found nobody you haven't met recently who shares a tag with you, so no introduction this time. More tags (/{ -cmd-interests }) give me more to work with. I won't repeat this every round: I'll write again when something changes.
intros-unmatched-unreachable = I had found you someone in { $title } this round, but they can no longer receive my messages and nobody else was free. Sorry — see you next round!
intros-partner-unreachable = Sorry: { $name } can't receive my messages right now, so this introduction is off.
intros-silent-paused = You haven't answered your last three introductions in { $title }, so I've paused them. Send /{ -cmd-intros } here and press restart whenever you want them back.

## Follow-up

intros-follow-up = 🤝 { $days ->
        [one] Yesterday
       *[other] { $days } days ago
    } I introduced you to { $names } ({ $title }). Did you meet?
intros-button-met-yes = ✅ Yes
intros-button-met-notyet = ⏳ Not yet
intros-button-met-no = ❌ No
intros-outcome-yes = 🎉 Wonderful, thanks for telling me!
intros-outcome-notyet = No rush: there's still time. Thanks for telling me.
intros-outcome-no = Thanks for telling me. Next round I'll introduce you to someone else.

## /whoknows

intros-whoknows-usage = Tell me the topic: /{ -cmd-whoknows } python
intros-whoknows-none = Nobody who joined introductions here has “{ $tag }” among their tags yet.
intros-whoknows-header = <b>Who knows about { $tag }</b>
intros-whoknows-offer = • { $name } — can help with it
intros-whoknows-interest = • { $name } — interested in it
intros-whoknows-footer = Only members who joined introductions are listed.

## /meet

intros-meet-private = /{ -cmd-meet } works in private: send it to me there.
intros-meet-too-soon = You had an introduction with /{ -cmd-meet } less than a week ago. You can ask again { $when }.
intros-meet-not-joined = You haven't joined introductions in any group where they are on (or you paused them). In a group, send /{ -cmd-intros } and press “Join introductions”.
intros-meet-no-tags = First tell me your tags with /{ -cmd-interests }: I need them to find you a match.
intros-meet-nobody = I found nobody to introduce you to right now (people you met recently don't count). Try again in a few days, or add tags with /{ -cmd-interests }.

## /introduce

intros-introduce-usage = Reply to one member's message and mention another — /{ -cmd-introduce } @username [a note] — or mention both: /{ -cmd-introduce } @first @second [a note].
intros-introduce-same = That's the same person twice: name two different members.
intros-introduce-bot = Bots can't be introduced: name two people.
intros-introduce-not-person = That message wasn't sent by a person: reply to a member's message.
intros-introduce-anonymous = You're writing anonymously, as the group: the two members need to know who is introducing them. Send /{ -cmd-introduce } from your own account.
intros-introduce-cannot = I can't introduce these two.
intros-introduce-not-member = { $name } isn't a member of this group right now: I only introduce people who are here. Nothing changed.
intros-introduce-limit = This group has already made { $count ->
        [one] one introduction
       *[other] { $count } introductions
    } by hand in the last 24 hours, the most I make in a day. Try again tomorrow; scheduled rounds and /{ -cmd-meet } go on as usual.
intros-introduce-asked = ✅ I asked both in private. The introduction goes out only when both accept.
intros-introduce-open-private = { $names }: someone would like to introduce { $count ->
        [one] you
       *[other] each of you
    } to another member. Open the private chat with me to see who and to accept or decline.
intros-accept-ask =
    { $admin } from <b>{ $title }</b> would like to introduce you to { $person }.
    Note: { $note }
    If you both accept, I'll send you both the introduction. If you decline, nobody will be told why.
intros-button-accept = ✅ Accept
intros-button-decline = ✖️ No, thanks
intros-accepted-waiting = ✅ Thanks! I'll send the introduction as soon as the other person accepts too.
intros-accepted-both = ✅ You both accepted: here it comes.
intros-declined = OK, no introduction. Nobody will be told why.
intros-declined-other = The introduction you accepted won't happen this time.

intros-public-state-on = 📣 When the weekly recap welcomes you, it will also say what you can help with. To turn that off: /{ -cmd-interests } public off
intros-public-state-off = 🔒 Your tags stay private. Send /{ -cmd-interests } public on and the weekly recap that welcomes you will also say what you can help with
intros-public-on = Done: when the weekly recap welcomes you, it will say what you can help with.
intros-public-off = Done: what you can help with stays private.
intros-public-usage = Write /{ -cmd-interests } public on or /{ -cmd-interests } public off.
