//! The filter flags of `workspaces list`: one per query parameter of each
//! provider's listing, read off its spec by the generator (`Filter::ALL` and
//! `filtered` in `generated.rs`). Here, how they become clap arguments, how
//! the values given are kept, and how one is parsed for its setter.

use std::{collections::BTreeMap, fmt::Display, str::FromStr};

use clap::{
    Arg, ArgAction, ArgMatches, Command,
    builder::{PossibleValuesParser, TypedValueParser},
};
use workspaces_sdk::Provider;

use crate::exit::Failure;

/// A filter of one provider's listing: a query parameter of its spec.
#[derive(Debug)]
pub(crate) struct Filter {
    /// The provider's id.
    pub provider: &'static str,
    /// The provider's display name.
    pub provider_name: &'static str,
    /// The parameter's name in the spec (`sort_order`).
    pub parameter: &'static str,
    /// The flag's name (`sort-order`), unless another option has it.
    pub flag: &'static str,
    /// The help line: the parameter's description, values, bounds, default.
    pub help: &'static str,
    pub kind: FilterKind,
}

/// What a filter's value is, as the spec says.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(dead_code, reason = "the generated table constructs the kinds its specs have")]
pub(crate) enum FilterKind {
    /// Any text.
    Text,
    /// One of the documented values.
    Choice(&'static [&'static str]),
    /// An integer within the bounds.
    Integer { min: Option<i64>, max: Option<i64> },
    /// An RFC 3339 time.
    Time,
    /// A boolean: the flag alone sends `true`; `--flag false` sends `false`.
    Switch,
    /// Several values: the flag repeated, or values separated by commas.
    List,
    /// The page size of a paginated listing, within the bounds: it goes to
    /// [`workspaces_sdk::Paging::page_size`], so every page asks for it.
    PageSize { min: Option<i64>, max: Option<i64> },
}

/// The filter values given on the command line, by provider and parameter.
#[derive(Debug, Default)]
pub(crate) struct Filters {
    /// Each filter given: its flag as typed, the filter, its values.
    given: Vec<(String, &'static Filter, Vec<String>)>,
}

/// The flag each filter has on the command line: its own name, or
/// `<provider>-<name>` where an option of the command already has that name.
fn flags(command: &Command) -> Vec<(String, &'static Filter)> {
    let taken = |name: &str| {
        command
            .get_arguments()
            .any(|a| a.get_long() == Some(name) || a.get_id() == name)
            || matches!(name, "help" | "version")
    };
    Filter::ALL
        .iter()
        .map(|filter| match taken(filter.flag) {
            true => (renamed(filter), filter),
            false => (filter.flag.to_owned(), filter),
        })
        .collect()
}

/// A filter's flag where another option has its name: `<provider>-<name>`.
fn renamed(filter: &Filter) -> String {
    format!("{}-{}", filter.provider, filter.flag)
}

impl clap::Args for Filters {
    fn augment_args(mut command: Command) -> Command {
        let mut by_flag: BTreeMap<String, Vec<&'static Filter>> = BTreeMap::new();
        let mut order = Vec::new();
        for (flag, filter) in flags(&command) {
            if !by_flag.contains_key(&flag) {
                order.push(flag.clone());
            }
            by_flag.entry(flag).or_default().push(filter);
        }
        for flag in order {
            command = command.arg(argument(&flag, &by_flag[&flag]));
        }
        command
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

/// The clap argument of a flag that one or more providers' filters share.
fn argument(flag: &str, filters: &[&'static Filter]) -> Arg {
    let first = filters[0];
    let same_kind = filters.iter().all(|f| f.kind == first.kind);
    let kind = if same_kind { first.kind } else { FilterKind::Text };
    let mut help = first.help.to_owned();
    if filters.len() > 1 {
        let names: Vec<&str> = filters.iter().map(|f| f.provider_name).collect();
        help = format!("{help} (a filter of {})", names.join(", "));
    }
    let arg = Arg::new(argument_id(flag))
        .long(flag.to_owned())
        .value_name(flag.to_uppercase().replace('-', "_"))
        .help(help)
        .help_heading(format!("{} filters", first.provider_name))
        .required(false);
    let ranged = |min: Option<i64>, max: Option<i64>| {
        clap::value_parser!(i64)
            .range(min.unwrap_or(i64::MIN)..=max.unwrap_or(i64::MAX))
            .map(|n| n.to_string())
    };
    match kind {
        FilterKind::Switch => arg
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(["true", "false"]),
        FilterKind::List => arg.action(ArgAction::Append).value_delimiter(','),
        FilterKind::Choice(values) => arg.value_parser(PossibleValuesParser::new(values)),
        FilterKind::Integer { min, max } | FilterKind::PageSize { min, max } => {
            arg.value_name("N").value_parser(ranged(min, max))
        }
        FilterKind::Time => arg.value_name("TIME").value_parser(|text: &str| {
            text.parse::<chrono::DateTime<chrono::Utc>>()
                .map(|_| text.to_owned())
                .map_err(|e| format!("not an RFC 3339 time ({e})"))
        }),
        FilterKind::Text => arg,
    }
}

impl clap::FromArgMatches for Filters {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut filters = Self::default();
        filters.update_from_arg_matches(matches)?;
        Ok(filters)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for filter in Filter::ALL {
            // The flag `augment_args` gave the filter: its own name, or its
            // name after the provider's where an option had it.
            let renamed = renamed(filter);
            for flag in [filter.flag, renamed.as_str()] {
                let id = argument_id(flag);
                let values: Vec<String> = match matches.try_get_many::<String>(&id) {
                    Ok(Some(values)) => values.cloned().collect(),
                    _ => continue,
                };
                self.given.push((flag.to_owned(), filter, values));
            }
        }
        Ok(())
    }
}

/// The id of a filter's clap argument: its flag, apart from the command's
/// own options.
fn argument_id(flag: &str) -> String {
    format!("filter-{flag}")
}

impl Filters {
    /// A usage error for the first filter given that is not `provider`'s.
    pub(crate) fn check(&self, provider: Provider) -> Result<(), Failure> {
        let own = |flag: &str| {
            self.given
                .iter()
                .any(|(f, filter, _)| f == flag && filter.provider == provider.id())
        };
        match self.given.iter().map(|(flag, ..)| flag).find(|flag| !own(flag)) {
            None => Ok(()),
            Some(flag) => {
                let owners: Vec<&str> = self
                    .given
                    .iter()
                    .filter(|(f, ..)| f == flag)
                    .map(|(_, filter, _)| filter.provider)
                    .collect();
                Err(Failure::usage(format!(
                    "--{flag} is a filter of {}, not of {provider}",
                    owners.join(", ")
                )))
            }
        }
    }

    /// The value given for a parameter of `provider`'s listing, if any.
    pub(crate) fn value(&self, provider: &str, parameter: &str) -> Option<&str> {
        self.values(provider, parameter)?.first().map(String::as_str)
    }

    /// Every value given for a parameter of `provider`'s listing, if any.
    pub(crate) fn values(&self, provider: &str, parameter: &str) -> Option<&[String]> {
        self.given
            .iter()
            .find(|(_, filter, _)| filter.provider == provider && filter.parameter == parameter)
            .map(|(.., values)| values.as_slice())
    }

    /// The page size given for `provider`'s listing, if any.
    ///
    /// # Errors
    ///
    /// A usage error for a size that is not a positive integer.
    pub(crate) fn page_size(&self, provider: &str) -> Result<Option<u64>, Failure> {
        let filter = Filter::ALL
            .iter()
            .find(|f| f.provider == provider && matches!(f.kind, FilterKind::PageSize { .. }));
        match filter.and_then(|filter| Some((filter.parameter, self.value(provider, filter.parameter)?))) {
            Some((parameter, value)) => parse(parameter, value).map(Some),
            None => Ok(None),
        }
    }
}

/// A filter's value as its setter takes it.
pub(crate) fn parse<T>(parameter: &str, text: &str) -> Result<T, Failure>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse()
        .map_err(|e| Failure::usage(format!("invalid value '{text}' for the filter `{parameter}`: {e}")))
}

/// Each value of a filter that takes several, as its setter takes them.
pub(crate) fn parse_all<T>(parameter: &str, texts: &[String]) -> Result<Vec<T>, Failure>
where
    T: FromStr,
    T::Err: Display,
{
    texts.iter().map(|text| parse(parameter, text)).collect()
}

/// The value of a filter whose type is read from JSON only (an enum of
/// integers, say): the text as a JSON value (`2`, `true`), or else as a
/// JSON string.
#[allow(dead_code, reason = "used by the filters of the specs that have such types")]
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(parameter: &str, text: &str) -> Result<T, Failure> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text.to_owned())))
        .map_err(|e| Failure::usage(format!("invalid value '{text}' for the filter `{parameter}`: {e}")))
}

/// [`parse_json`] of each value of a filter that takes several.
#[allow(dead_code, reason = "used by the filters of the specs that have such types")]
pub(crate) fn parse_all_json<T: serde::de::DeserializeOwned>(
    parameter: &str,
    texts: &[String],
) -> Result<Vec<T>, Failure> {
    texts.iter().map(|text| parse_json(parameter, text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As typify writes an enum of integers: no `FromStr`, read from JSON.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(try_from = "i64")]
    struct Generation(i64);

    impl TryFrom<i64> for Generation {
        type Error = String;
        fn try_from(value: i64) -> Result<Self, String> {
            match value {
                1..=3 => Ok(Self(value)),
                _ => Err(format!("{value} is not one of 1, 2, 3")),
            }
        }
    }

    #[test]
    fn a_type_read_from_json_takes_a_number_or_a_text() {
        assert_eq!(parse_json::<Generation>("gen", "2").unwrap(), Generation(2));
        assert_eq!(parse_json::<String>("code", "LDG-1901").unwrap(), "LDG-1901");
        assert!(parse_json::<bool>("detail", "true").unwrap());
        let texts = ["1".to_owned(), "3".to_owned()];
        assert_eq!(
            parse_all_json::<Generation>("gen", &texts).unwrap(),
            [Generation(1), Generation(3)]
        );
        let error = parse_json::<Generation>("gen", "7").unwrap_err();
        assert_eq!(error.code, crate::exit::USAGE);
        assert!(
            error.message.contains("invalid value '7' for the filter `gen`"),
            "{}",
            error.message
        );
    }
}
