# Rete — English messages. Every message is Telegram HTML; arguments are escaped for you.

## Command menu (setMyCommands) and /help

cmd-start = Start Rete and see what it does
cmd-help = What Rete can do, and its commands
cmd-privacy = What Rete keeps about you: see, export, delete
cmd-settings = Group settings for admins: language, time zone, topic

help-header-private = <b>What you can do here</b>
help-header-group = <b>Rete in this group</b>
help-line = /{ $command } — { $description }
help-footer-private = Add me to your community's group to turn it into a network.
help-footer-group = Settings are for admins; everyone can use /privacy in private.

## Joining a group

group-welcome =
    👋 Hi everyone, I'm <b>Rete</b>! I help this group become a network: I notice who helps whom, introduce members with shared interests to each other in private, start conversations now and then, and post a weekly recap.

    <b>Two steps for the admins:</b>
    1. Let me read the group: in @BotFather send /setprivacy, choose @{ $bot } and pick <i>Disable</i> — or simply make me an admin here.
    2. Send /settings to choose my language, time zone and the topic I post in.

    Everyone: /help lists what I can do, /privacy shows what I keep about you.
group-privacy-warning =
    ⚠️ Right now I can only see commands and replies to me, so I will miss thanks and activity in this group.
    Admins, to fix it either make me an admin here, or in @BotFather send /setprivacy, choose @{ $bot }, pick <i>Disable</i>, then remove me from the group and add me again (Telegram applies the change only then).

## Private chat

start-welcome =
    👋 Hi { $name }, I'm <b>Rete</b>.
    In the groups I'm part of I help members turn a chat into a network: I keep track of who helps whom, introduce people with shared interests (only those who agree, here in private), start conversations and post a weekly recap.
    Now that you have opened this chat I can write to you here when there is something for you.

    /help — the commands
    /privacy — what I keep about you, and how to delete it

## /settings

settings-current =
    <b>Rete settings for { $title }</b>
    Language: { $language }
    Time zone: { $timezone } (it's { $time } here now)
    Where I post: { $topic }
    I'm an admin here: { $admin }
    What I can read: { $reading }

    To change them:
    /settings language it or en
    /settings timezone Europe/Rome
    /settings topic — send it inside the topic I should post in (/settings topic off for the main chat)
settings-topic-main = the main chat
settings-topic-id = topic #{ $id }
settings-yes = yes
settings-no = no
settings-reading-all = every message
settings-reading-commands = only commands and replies to me (privacy mode is on: make me an admin or disable it in @BotFather with /setprivacy)
settings-language-set = ✅ From now on I'll speak English in this group.
settings-timezone-set = ✅ Time zone set to { $timezone }: it's { $time } here now.
settings-topic-set = ✅ From now on I'll post in this topic.
settings-topic-cleared = ✅ From now on I'll post in the main chat.
settings-topic-not-forum = This group has no topics, so I post in the main chat.
settings-topic-outside = Send /settings topic from inside the topic I should post in, or /settings topic off for the main chat.
settings-bad-language = “{ $value }” is not a language I speak. Use one of: { $allowed }.
settings-bad-timezone = “{ $value }” is not a time zone I know. Use a name in the Area/City form, such as Europe/Rome, Europe/London or America/New_York.
settings-missing-value = Add the value too, for example: /settings { $name } { $example }
settings-unknown = I don't know the setting “{ $name }”. I know: language, timezone, topic.
settings-not-admin = Sorry, only the group's admins can change my settings.
settings-private = /settings works inside a group, and only for its admins: send it there.

## /privacy

privacy-summary =
    <b>What Rete keeps about you</b>
    Name: { $name }
    Username: { $username }
    Language: { $language }
    I can write to you in private: { $reachable }
    Shown on leaderboards and recaps: { $shown }
    Groups where I've seen you: { $groups }
    { $group_lines }

    I never store the text of your messages, only how many you write each day.
    The file below holds everything, in JSON.
privacy-group-line = • { $title }: seen since { $since }, { $messages ->
        [one] one message counted
       *[other] { $messages } messages counted
    }
privacy-no-username = none
privacy-yes = yes
privacy-no = no
privacy-nothing = I don't keep anything about you.
privacy-export-caption = Everything Rete keeps about you.
privacy-button-hide = 🙈 Hide me from leaderboards and recaps
privacy-button-show = 👀 Show me on leaderboards and recaps
privacy-button-delete = 🗑 Delete everything about me
privacy-confirm-delete = Are you sure? I'll delete your profile, your activity counts in every group and everything else I keep about you. This cannot be undone.
privacy-button-confirm = Yes, delete everything
privacy-button-cancel = No, keep it
privacy-deleted = Done: I deleted everything I kept about you. If you write again in a group where I am, I'll start counting from zero; /privacy shows it at any time.
privacy-cancelled = OK, I deleted nothing.
privacy-hidden-now = 🙈 Done: I won't name you on leaderboards or in recaps.
privacy-shown-now = 👀 Done: you can appear on leaderboards and in recaps again.
privacy-in-group = Your data is your business: let's talk about it in private.
privacy-open-button = Open the private chat
