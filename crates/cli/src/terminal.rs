//! Text from a provider, made safe to write to a terminal.

/// `text` safe to write to a terminal: each control character (an escape
/// sequence's `ESC`, a bell, a carriage return, ...) written as its escape
/// (`\u{1b}`), so that a provider's text cannot clear the screen, retitle
/// the window or overwrite what was printed.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_unicode().to_string(),
            false => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_other_text_kept() {
        let hostile = "\u{1b}[2J\u{1b}]0;title\u{7}Team\rX";
        let safe = terminal_safe(hostile);
        assert!(!safe.chars().any(char::is_control), "{safe:?}");
        assert_eq!(safe, "\\u{1b}[2J\\u{1b}]0;title\\u{7}Team\\u{d}X");
        assert_eq!(terminal_safe("Équipe 東京"), "Équipe 東京", "text as it is");
    }
}
