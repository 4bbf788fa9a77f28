package telegram

import (
	"strings"
)

// service is what a service message's sentence is made from.
type service struct {
	*tgMessage
	actor   string // who acted; "Someone" when the export has no name
	title   string // the title, in quotes
	members string // the members' names, comma-separated
}

// serviceText renders a service message (type "service") as the sentence
// a reader of the chat would see, e.g. `Ann created group “Desk” with
// Bob, Cy` or `Ann invited Bob`. Actions the table does not know are
// rendered from their name ("Ann: set chat wallpaper"), so nothing is
// dropped when Telegram adds one.
func serviceText(m *tgMessage) string {
	sv := service{tgMessage: m, actor: m.Actor, title: quote(m.Title),
		members: strings.Join(names(m.Members), ", ")}
	if sv.actor == "" {
		sv.actor = m.ActorID.s
	}
	if sv.actor == "" {
		sv.actor = "Someone"
	}
	if m.Action == "" && m.Info != "" {
		return m.Info // a custom action (ActionCustomAction) has only its text
	}
	var s string
	if render, ok := actions[m.Action]; ok {
		s = render(&sv)
	} else {
		s = sv.actor + ": " + strings.ReplaceAll(m.Action, "_", " ")
		s += prefixed(" ", joinNonEmpty(" ", nonEmpty(m.Title, sv.title), sv.members))
	}
	if m.Info != "" {
		s += ": " + m.Info
	}
	return s
}

// actions renders the service actions Telegram Desktop writes
// (export_output_json.cpp), each from the fields it writes with it.
var actions = map[string]func(sv *service) string{
	"create_group": func(sv *service) string {
		return sv.actor + " created group " + sv.title + prefixed(" with ", sv.members)
	},
	"create_channel":     func(sv *service) string { return sv.actor + " created channel " + sv.title },
	"edit_group_title":   func(sv *service) string { return sv.actor + " changed the group name to " + sv.title },
	"edit_group_photo":   func(sv *service) string { return sv.actor + " changed the group photo" },
	"delete_group_photo": func(sv *service) string { return sv.actor + " removed the group photo" },
	"invite_members":     func(sv *service) string { return sv.actor + " invited " + sv.members },
	"remove_members": func(sv *service) string {
		if len(sv.Members) == 1 && sv.Members[0] == sv.Actor && sv.Actor != "" {
			return sv.actor + " left the group"
		}
		return sv.actor + " removed " + sv.members
	},
	"join_group_by_link": func(sv *service) string {
		return sv.actor + " joined the group via invite link" + prefixed(" from ", sv.Inviter)
	},
	"join_group_by_request": func(sv *service) string { return sv.actor + " joined the group (request approved)" },
	"migrate_to_supergroup": func(sv *service) string { return sv.actor + " converted this group to a supergroup" },
	"migrate_from_group": func(sv *service) string {
		return sv.actor + " converted the group " + sv.title + " to this supergroup"
	},
	"pin_message": func(sv *service) string {
		return sv.actor + " pinned a message" + paren(string(sv.MessageID))
	},
	"clear_history": func(sv *service) string { return sv.actor + " cleared the history" },
	"phone_call": func(sv *service) string {
		reason := sv.DiscardReason
		if reason == "hangup" { // the ordinary end of a call
			reason = ""
		}
		return sv.actor + " made a call" + paren(joinNonEmpty(", ", seconds(sv.Duration), reason))
	},
	"group_call": func(sv *service) string {
		return sv.actor + " started a group call" + paren(seconds(sv.GroupCallLength))
	},
	"invite_to_group_call": func(sv *service) string { return sv.actor + " invited " + sv.members + " to the group call" },
	"take_screenshot":      func(sv *service) string { return sv.actor + " took a screenshot" },
	"joined_telegram":      func(sv *service) string { return sv.actor + " joined Telegram" },
	"set_messages_ttl": func(sv *service) string {
		if sv.Period == "" || sv.Period == "0" {
			return sv.actor + " turned off auto-delete"
		}
		return sv.actor + " set messages to auto-delete after " + seconds(sv.Period)
	},
	"edit_chat_theme": func(sv *service) string {
		return sv.actor + " changed the chat theme" + prefixed(" to ", sv.Emoticon)
	},
	"topic_created": func(sv *service) string { return sv.actor + " created topic " + sv.title },
	"topic_edit": func(sv *service) string {
		if sv.NewTitle != "" {
			return sv.actor + " renamed a topic to " + quote(sv.NewTitle)
		}
		return sv.actor + " edited a topic"
	},
	"score_in_game": func(sv *service) string { return sv.actor + " scored " + string(sv.Score) },
	"send_payment": func(sv *service) string {
		return "payment sent: " + joinNonEmpty(" ", string(sv.Amount), sv.Currency)
	},
	"proximity_reached": func(sv *service) string {
		return joinNonEmpty(" ", sv.From, "came within", string(sv.Distance)+" m of", sv.To)
	},
}

// prefixed is prefix+s, or "" for an empty s.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// paren is " (s)", or "" for an empty s.
func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// seconds is "n s", or "" when n is absent.
func seconds(n numStr) string {
	if n == "" {
		return ""
	}
	return string(n) + " s"
}

// nonEmpty returns v when s is not empty.
func nonEmpty(s, v string) string {
	if s == "" {
		return ""
	}
	return v
}

// quote puts a title in the typographic quotes Telegram's apps show.
func quote(s string) string { return "“" + s + "”" }

// names replaces the null names of deleted accounts.
func names(ms []string) []string {
	out := make([]string, len(ms))
	for i, n := range ms {
		if n == "" {
			n = "Deleted Account"
		}
		out[i] = n
	}
	return out
}
