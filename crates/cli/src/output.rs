//! Printing workspaces as a table, a JSON array or JSON lines, page by page.

use std::io::{self, Write};

use workspaces_sdk::Workspace;

use crate::{args::Output, exit::Failure};

/// Where workspaces go as pages arrive: JSON lines at once, the table and the
/// array once every page is in (a table needs every row to size its columns).
pub struct Printer {
    format: Output,
    rows: Vec<Workspace>,
}

impl Printer {
    pub fn new(format: Output) -> Self {
        Self {
            format,
            rows: Vec::new(),
        }
    }

    /// A page of workspaces.
    pub fn page(&mut self, page: Vec<Workspace>) -> Result<(), Failure> {
        match self.format {
            Output::Ndjson => {
                let mut out = io::stdout().lock();
                for workspace in &page {
                    writeln!(out, "{}", to_json(workspace, false)?).map_err(write_error)?;
                }
                out.flush().map_err(write_error)
            }
            Output::Table | Output::Json => {
                self.rows.extend(page);
                Ok(())
            }
        }
    }

    /// Every page is in.
    pub fn finish(self) -> Result<(), Failure> {
        let text = match self.format {
            Output::Ndjson => return Ok(()),
            Output::Json => {
                let values: Vec<String> = self.rows.iter().map(|w| to_json(w, true)).collect::<Result<_, _>>()?;
                match values.is_empty() {
                    true => "[]\n".to_owned(),
                    false => format!("[\n{}\n]\n", indent(&values.join(",\n"))),
                }
            }
            Output::Table => table(&self.rows),
        };
        print(&text)
    }
}

/// Writes `text` to stdout (a reader gone away ends the command quietly).
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(write_error)
}

fn to_json(workspace: &Workspace, pretty: bool) -> Result<String, Failure> {
    let text = match pretty {
        true => serde_json::to_string_pretty(workspace),
        false => serde_json::to_string(workspace),
    };
    text.map_err(|e| Failure::other(format!("cannot write a workspace as JSON: {e}")))
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Aligned columns: provider, id, name, kind, owner, creation time; `-` where
/// the provider gives nothing.
pub fn table(rows: &[Workspace]) -> String {
    let header = ["PROVIDER", "ID", "NAME", "KIND", "OWNER", "CREATED"].map(String::from);
    let mut lines = vec![header];
    for w in rows {
        let or_dash = |text: Option<&str>| match text {
            Some(text) if !text.is_empty() => text.to_owned(),
            _ => "-".to_owned(),
        };
        let created = w
            .created_at()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        lines.push([
            w.provider().id().to_owned(),
            or_dash(Some(&w.id())),
            or_dash(Some(&w.name())),
            or_dash(w.kind().as_deref()),
            or_dash(w.owner().as_deref()),
            or_dash(created.as_deref()),
        ]);
    }
    aligned(&lines)
}

/// Rows in aligned columns, two spaces apart, each line without trailing
/// blanks; control characters escaped ([`terminal_safe`](crate::terminal::terminal_safe)).
pub fn aligned<const N: usize>(lines: &[[String; N]]) -> String {
    let lines: Vec<[String; N]> = lines
        .iter()
        .map(|line| line.clone().map(|cell| crate::terminal::terminal_safe(&cell)))
        .collect();
    let widths: Vec<usize> = (0..N)
        .map(|i| lines.iter().map(|l| l[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text += cells.join("  ").trim_end();
        text += "\n";
    }
    text
}

fn write_error(error: io::Error) -> Failure {
    match error.kind() {
        // The reader went away (`workspaces list ... | head`): nothing more to say.
        io::ErrorKind::BrokenPipe => Failure {
            code: 0,
            message: String::new(),
        },
        _ => Failure::other(format!("cannot write the output: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_s_control_characters_never_reach_the_terminal() {
        let hostile = "\u{1b}[2J\u{1b}]0;title\u{7}Team\rX";
        let table = aligned(&[
            ["ID".to_owned(), "NAME".to_owned()],
            ["w-1".to_owned(), hostile.to_owned()],
        ]);
        assert!(!table.chars().any(|c| c.is_control() && c != '\n'), "{table:?}");
        assert_eq!(crate::exit::one_line("a\u{1b}[31m  b\n\tc"), "a\\u{1b}[31m b c");
    }
}
