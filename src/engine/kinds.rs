//! The kinds of log entries (spec section 3).

/// What passed between you and a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Gave,
    Got,
    Thanks,
    Ask,
    News,
    Congrats,
    Met,
    Call,
    Msg,
    Like,
    Gift,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Gave,
        Kind::Got,
        Kind::Thanks,
        Kind::Ask,
        Kind::News,
        Kind::Congrats,
        Kind::Met,
        Kind::Call,
        Kind::Msg,
        Kind::Like,
        Kind::Gift,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Gave => "gave",
            Kind::Got => "got",
            Kind::Thanks => "thanks",
            Kind::Ask => "ask",
            Kind::News => "news",
            Kind::Congrats => "congrats",
            Kind::Met => "met",
            Kind::Call => "call",
            Kind::Msg => "msg",
            Kind::Like => "like",
            Kind::Gift => "gift",
        }
    }

    /// A built-in kind by its exact (lower-case) name.
    pub fn parse_builtin(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What the kind means, for completion and hover.
    pub fn meaning(self) -> &'static str {
        match self {
            Kind::Gave => "you did them a favour — pays back the oldest open favour, else is credit",
            Kind::Got => "they did you a favour — uses up credit, else you owe one; a thank-you is owed either way",
            Kind::Thanks => "you thanked them — closes the oldest thank-you still owed",
            Kind::Ask => "you asked them for help — say exactly how with `how: …`",
            Kind::News => {
                "something happened in their life (new job, promotion, baby, award) — a congratulation is owed"
            }
            Kind::Congrats => "you congratulated them — closes the oldest congratulation still owed",
            Kind::Met => "a touch: you met",
            Kind::Call => "a touch: you talked on the phone",
            Kind::Msg => "a touch: you sent a message",
            Kind::Like => "a touch: you liked their post",
            Kind::Gift => "a touch: you gave a gift",
        }
    }

    /// Every kind but `#news` resets the keep-in-touch clock.
    pub fn is_touch(self) -> bool {
        self != Kind::News
    }
}
