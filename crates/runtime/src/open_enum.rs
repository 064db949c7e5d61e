//! The reading of every generated open enum (an enum of the values a spec
//! documents, and `Unknown(String)` for any other): a documented value is
//! matched where it lies in the input, with no copy of its text.

use std::{fmt, marker::PhantomData};

use serde::de::{Deserializer, Error, Visitor};

/// Reads an open enum from a string, borrowed when the input allows.
///
/// # Errors
///
/// When the value is not a string.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(Text(PhantomData))
}

struct Text<T>(PhantomData<T>);

impl<T> Visitor<'_> for Text<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Kind {
        Team,
        Unknown(String),
    }

    impl From<&str> for Kind {
        fn from(value: &str) -> Self {
            match value {
                "team" => Self::Team,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    impl From<String> for Kind {
        fn from(value: String) -> Self {
            match value.as_str() {
                "team" => Self::Team,
                _ => Self::Unknown(value),
            }
        }
    }

    fn read(json: &str) -> Result<Kind, String> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        open_enum(&mut deserializer).map_err(|e: serde_json::Error| e.to_string())
    }

    #[test]
    fn documented_unknown_escaped_and_non_string_values() {
        assert_eq!(read("\"team\""), Ok(Kind::Team));
        assert_eq!(read("\"guild\""), Ok(Kind::Unknown("guild".into())));
        assert_eq!(
            read("\"te\\u0061m\""),
            Ok(Kind::Team),
            "an escaped value is read like any other"
        );
        let from_value = open_enum::<_, Kind>(serde_json::json!("guild")).unwrap();
        assert_eq!(from_value, Kind::Unknown("guild".into()));
        assert!(read("7").unwrap_err().contains("expected a string"));
    }
}
