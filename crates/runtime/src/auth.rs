//! A client's credentials on the wire, where the spec's security schemes put
//! them: a sensitive header, HTTP basic, a cookie, or a query parameter that
//! is redacted from every error the client returns and every log it writes.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use reqwest::{
    Url,
    header::{AUTHORIZATION, COOKIE, Entry, HeaderName, HeaderValue},
};

use crate::{
    Api, Auth, Config, ConfigError, Credential, Place,
    credential::Secret,
    token::{Renewable, Renewal},
};

/// What replaces a query credential in an error's URL.
const REDACTED: &str = "redacted";

/// The credentials of one client, each checked once and, when fixed, turned
/// once into what goes on the wire.
#[derive(Clone)]
pub(crate) struct Credentials {
    slots: Vec<Slot>,
    /// The last values a token source gave, to redact them from bodies.
    recent: Arc<Mutex<Vec<String>>>,
    /// The tokens kept from async sources and OAuth2 grants, if any.
    renewal: Option<Renewal>,
}

#[derive(Clone)]
struct Slot {
    auth: Auth,
    credential: Credential,
    /// A fixed credential, ready to send.
    fixed: Option<Wire>,
}

/// A credential as it goes on the wire.
#[derive(Clone)]
enum Wire {
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
}

/// The schemes the constructor's `credential` goes into: the API's own
/// when its first scheme fits the credential's kind, else the first of its
/// alternatives that does (a `Credential::basic` fits HTTP basic; a token or
/// key every other scheme, and HTTP basic too, as `user:password`, when no
/// scheme offered takes a token).
fn fitting(api: &'static Api, credential: &Credential) -> Result<&'static [Auth], String> {
    let Some(first) = api.auth().first() else {
        return Ok(api.auth());
    };
    let offered = || std::iter::once(first).chain(api.alternatives());
    let takes_token = offered().any(|auth| !matches!(auth.place, Place::Basic));
    let fits = |auth: &Auth| match auth.place {
        Place::Basic => credential.is_basic() || !takes_token,
        _ => !credential.is_basic(),
    };
    if fits(first) {
        return Ok(api.auth());
    }
    if let Some(alternative) = api.alternatives().iter().find(|auth| fits(auth)) {
        return Ok(std::slice::from_ref(alternative));
    }
    let names: Vec<String> = offered().map(|auth| format!("`{}`", auth.scheme)).collect();
    let kind = match credential.is_basic() {
        true => "a user and password (HTTP basic)",
        false => "a token or key",
    };
    Err(format!(
        "{kind} fits none of the security schemes the spec offers ({})",
        names.join(", ")
    ))
}

impl Credentials {
    /// [`Self::configured`] with the default configuration.
    #[cfg(test)]
    pub(crate) fn new(
        api: &'static Api,
        credential: Option<Credential>,
        others: &[(String, Credential)],
    ) -> Result<Self, ConfigError> {
        Self::configured(api, credential, others, &Config::default(), "")
    }

    /// The credential of each of the API's schemes: `credential` for the
    /// first, `others` (scheme name, credential) for the rest; an OAuth2
    /// grant bound to a token source of this client's (`config`'s timeouts,
    /// a relative token endpoint resolved against `base_url`).
    pub(crate) fn configured(
        api: &'static Api,
        credential: Option<Credential>,
        others: &[(String, Credential)],
        config: &Config,
        base_url: &str,
    ) -> Result<Self, ConfigError> {
        let invalid = |reason: String| ConfigError::InvalidCredential {
            provider: api.provider(),
            reason,
        };
        if let Some((scheme, _)) = others
            .iter()
            .find(|(scheme, _)| !api.auth().iter().skip(1).any(|auth| auth.scheme == scheme))
        {
            let takes: Vec<String> = api.auth().iter().skip(1).map(|a| format!("`{}`", a.scheme)).collect();
            let takes = match takes.is_empty() {
                true => "none".to_owned(),
                false => takes.join(", "),
            };
            return Err(invalid(format!(
                "a credential was given for the security scheme `{scheme}`, which takes none from the configuration (it takes: {takes})"
            )));
        }
        // Where the spec offers alternatives, the constructor's credential
        // goes into the first scheme its kind fits.
        let auth = match &credential {
            Some(credential) => fitting(api, credential).map_err(invalid)?,
            None => api.auth(),
        };
        let mut slots = Vec::new();
        for (index, &auth) in auth.iter().enumerate() {
            let credential = match index {
                0 => credential.clone(),
                _ => others.iter().find(|(s, _)| s == auth.scheme).map(|(_, c)| c.clone()),
            };
            let Some(credential) = credential else {
                return Err(invalid(format!(
                    "the security scheme `{}` needs a credential too: `Config::default().credential(\"{}\", ...)`",
                    auth.scheme, auth.scheme
                )));
            };
            let credential = match credential.secret() {
                Secret::OAuth2(grant) => credential.bound(grant.bind(api, config, base_url)?),
                _ => credential,
            };
            let fixed = match credential.expose_secret() {
                Some(secret) => Some(wire(auth.place, secret).map_err(|reason| invalid(reason.to_owned()))?),
                None => None,
            };
            slots.push(Slot {
                auth,
                credential,
                fixed,
            });
        }
        let renewable: Vec<Arc<Renewable>> = slots
            .iter()
            .filter_map(|slot| match slot.credential.secret() {
                Secret::Renewable(token) => Some(Arc::clone(token)),
                _ => None,
            })
            .collect();
        Ok(Self {
            slots,
            recent: Arc::default(),
            renewal: (!renewable.is_empty()).then(|| Renewal(renewable.into())),
        })
    }

    /// The tokens to renew before an attempt, if any are kept.
    pub(crate) fn renewal(&self) -> Option<&Renewal> {
        self.renewal.as_ref()
    }

    /// Whether a credential is asked of a source, so that a 401 is worth
    /// asking again.
    pub(crate) fn has_sources(&self) -> bool {
        self.slots.iter().any(|slot| slot.fixed.is_none())
    }

    /// The server refused the tokens sent at `sent_at`: the kept ones are
    /// asked for again before the next attempt.
    pub(crate) fn refused(&self, sent_at: tokio::time::Instant) {
        for token in self.renewal.iter().flat_map(|renewal| renewal.0.iter()) {
            token.refused(sent_at);
        }
    }

    /// Puts every credential on a request (none on one of a `public`
    /// operation), asking each token source: before every attempt, so that a
    /// retry sends the token the source holds then.
    pub(crate) fn apply(&self, request: &mut reqwest::Request, public: bool) -> Result<(), String> {
        if public {
            return Ok(());
        }
        for slot in &self.slots {
            let asked;
            let wire = match &slot.fixed {
                Some(wire) => wire,
                None => {
                    asked = self.ask(slot)?;
                    &asked
                }
            };
            match wire {
                Wire::Header(name, value) if name == COOKIE => {
                    let value = match request.headers().get(COOKIE).map(HeaderValue::as_bytes) {
                        Some(cookies) => {
                            let mut joined = HeaderValue::from_bytes(&[cookies, b"; ", value.as_bytes()].concat())
                                .map_err(|_| "a cookie that cannot be sent".to_owned())?;
                            joined.set_sensitive(true);
                            joined
                        }
                        None => value.clone(),
                    };
                    request.headers_mut().insert(COOKIE, value);
                }
                // Through the entry, as reqwest merges its default headers:
                // the value replaces any other, with code already in use.
                Wire::Header(name, value) => match request.headers_mut().entry(name) {
                    Entry::Occupied(mut entry) => {
                        entry.insert(value.clone());
                    }
                    Entry::Vacant(entry) => {
                        entry.insert(value.clone());
                    }
                },
                Wire::Query(name, value) => set_query(request.url_mut(), name, value),
            }
        }
        Ok(())
    }

    /// Whether every token source gives a usable token now (none is asked
    /// for a `public` operation): asked before another attempt is promised,
    /// so that a source that fails leaves the attempt before as the call's
    /// outcome.
    pub(crate) fn sources_answer(&self, public: bool) -> Result<(), String> {
        if public {
            return Ok(());
        }
        for slot in self.slots.iter().filter(|slot| slot.fixed.is_none()) {
            self.ask(slot)?;
        }
        Ok(())
    }

    /// The token source's current token, as it goes on the wire.
    fn ask(&self, slot: &Slot) -> Result<Wire, String> {
        let token = slot.credential.current().map_err(|e| {
            format!(
                "the token source of the security scheme `{}` failed: {e}",
                slot.auth.scheme
            )
        })?;
        let wire = wire(slot.auth.place, &token)
            .map_err(|reason| format!("the token source gave an unusable token: {reason}"))?;
        self.remember(&token);
        Ok(wire)
    }

    fn remember(&self, token: &str) {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !recent.iter().any(|known| known == token) {
            recent.push(token.to_owned());
            let excess = recent.len().saturating_sub(4);
            recent.drain(..excess);
        }
    }

    /// Text with every credential (and, for basic, its password and its
    /// encoded form) replaced by `<redacted>`: response bodies may echo what
    /// was sent.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut secrets: Vec<String> = self.recent.lock().map(|r| r.clone()).unwrap_or_default();
        for slot in &self.slots {
            let Some(secret) = slot.credential.expose_secret() else {
                continue;
            };
            secrets.push(secret.to_owned());
            if slot.auth.place == Place::Basic {
                secrets.push(base64::engine::general_purpose::STANDARD.encode(secret));
                secrets.extend(secret.split_once(':').map(|(_, password)| password.to_owned()));
            }
        }
        // Longest first, so that a secret containing another goes whole.
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        let mut text = text.to_owned();
        for secret in secrets.iter().filter(|secret| secret.len() >= 4) {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "<redacted>");
            }
        }
        text
    }

    /// A transport error whose URL carries no query credential.
    pub(crate) fn redact_error(&self, mut error: reqwest::Error) -> reqwest::Error {
        if let Some(url) = error.url_mut() {
            self.redact_url(url);
        }
        error
    }

    /// A URL whose query credentials read `redacted`.
    pub(crate) fn redact_url(&self, url: &mut Url) {
        for slot in &self.slots {
            if let Place::Query(name) = slot.auth.place
                && url.query_pairs().any(|(key, _)| key == name)
            {
                set_query(url, name, REDACTED);
            }
        }
    }

    /// The schemes, for `Debug` (never a credential).
    pub(crate) fn schemes(&self) -> Vec<&'static str> {
        self.slots.iter().map(|slot| slot.auth.scheme).collect()
    }
}

/// A credential as the scheme puts it on the wire, or why it cannot go.
fn wire(place: Place, secret: &str) -> Result<Wire, &'static str> {
    if secret.trim().is_empty() {
        return Err("it is empty");
    }
    if secret.chars().any(char::is_control) {
        return Err("it contains a control character (a line break?)");
    }
    let header = |text: String| {
        let mut value = HeaderValue::try_from(text)
            .map_err(|_| "it contains a character that cannot be sent in an HTTP header (a line break?)")?;
        value.set_sensitive(true);
        Ok::<_, &'static str>(value)
    };
    Ok(match place {
        Place::Header { name, prefix } => Wire::Header(
            HeaderName::try_from(name).map_err(|_| "the spec's header name is not valid")?,
            header(format!("{prefix}{secret}"))?,
        ),
        Place::Basic if !secret.contains(':') => {
            return Err("basic authentication takes `user:password` (`Credential::basic(user, password)`)");
        }
        Place::Basic => Wire::Header(
            AUTHORIZATION,
            header(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(secret)
            ))?,
        ),
        Place::Cookie(_) if secret.contains([';', ',', ' ', '"', '\\']) => {
            return Err("it contains a character a cookie value cannot hold");
        }
        Place::Cookie(name) => Wire::Header(COOKIE, header(format!("{name}={secret}"))?),
        Place::Query(name) => Wire::Query(name, secret.to_owned()),
    })
}

/// Sets the query parameter `name` to `value`, replacing any value it had.
fn set_query(url: &mut Url, name: &str, value: &str) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(name, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: bool = true;
    const TAKES_CREDENTIALS: bool = false;

    fn api(auth: &'static [Auth]) -> &'static Api {
        Box::leak(Box::new(Api::new("Example", "example/1", auth)))
    }

    /// A request with the credentials on it, as one of a public operation
    /// (`PUBLIC`) or not (`TAKES_CREDENTIALS`).
    fn sent(credentials: &Credentials, public: bool) -> reqwest::Request {
        let url = "http://127.0.0.1/things?page=2".parse().unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        credentials.apply(&mut request, public).unwrap();
        request
    }

    const KEY: Auth = Auth {
        scheme: "key",
        place: Place::Query("api_key"),
    };
    const APP: Auth = Auth {
        scheme: "app",
        place: Place::Header {
            name: "X-App-Id",
            prefix: "",
        },
    };

    #[test]
    fn the_credential_s_kind_picks_the_scheme_among_alternatives() {
        const OAUTH: Auth = Auth {
            scheme: "oauth",
            place: Place::Header {
                name: "Authorization",
                prefix: "Bearer ",
            },
        };
        const BASIC: Auth = Auth {
            scheme: "basic",
            place: Place::Basic,
        };
        let offered: &'static Api = Box::leak(Box::new(Api::new("Example", "example/1", &[OAUTH]).or(&[BASIC])));
        let authorization = |credential: Credential| {
            let credentials = Credentials::new(offered, Some(credential), &[]).unwrap();
            let request = sent(&credentials, TAKES_CREDENTIALS);
            request.headers()["authorization"].to_str().unwrap().to_owned()
        };
        assert_eq!(
            authorization(Credential::basic("ada", "pa55word")),
            "Basic YWRhOnBhNTV3b3Jk"
        );
        assert_eq!(authorization(Credential::new("tok-1")), "Bearer tok-1");

        // A user and password where only tokens are taken: refused, naming the schemes.
        let error = Credentials::new(api(&[OAUTH, KEY]), Some(Credential::basic("ada", "pw")), &[])
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains(
                "a user and password (HTTP basic) fits none of the security schemes the spec offers (`oauth`)"
            ),
            "{error}"
        );
        // A `user:password` token where only HTTP basic is offered goes there, as before.
        let only_basic = Credentials::new(api(&[BASIC]), Some(Credential::new("ada:pa55word")), &[]).unwrap();
        let request = sent(&only_basic, TAKES_CREDENTIALS);
        assert_eq!(request.headers()["authorization"], "Basic YWRhOnBhNTV3b3Jk");
    }

    #[test]
    fn each_place_carries_the_credential_as_its_scheme_says() {
        let basic = Credentials::new(
            api(&[Auth {
                scheme: "basic",
                place: Place::Basic,
            }]),
            Some(Credential::basic("ada", "pa55word")),
            &[],
        )
        .unwrap();
        let request = sent(&basic, TAKES_CREDENTIALS);
        assert_eq!(request.headers()[AUTHORIZATION], "Basic YWRhOnBhNTV3b3Jk");
        assert!(request.headers()[AUTHORIZATION].is_sensitive());

        let query = Credentials::new(api(&[KEY]), Some("k-123456".into()), &[]).unwrap();
        assert_eq!(
            sent(&query, TAKES_CREDENTIALS).url().as_str(),
            "http://127.0.0.1/things?page=2&api_key=k-123456"
        );
        // A public operation carries no credential.
        assert_eq!(sent(&query, PUBLIC).url().as_str(), "http://127.0.0.1/things?page=2");

        let cookie = Credentials::new(
            api(&[Auth {
                scheme: "session",
                place: Place::Cookie("sid"),
            }]),
            Some("c00kie-value".into()),
            &[],
        )
        .unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/".parse().unwrap());
        request
            .headers_mut()
            .insert(COOKIE, HeaderValue::from_static("theme=dark"));
        cookie.apply(&mut request, TAKES_CREDENTIALS).unwrap();
        assert_eq!(request.headers()[COOKIE], "theme=dark; sid=c00kie-value");
        assert!(request.headers()[COOKIE].is_sensitive());
    }

    #[test]
    fn a_requirement_of_two_schemes_takes_the_second_credential_from_the_configuration() {
        static BOTH: &[Auth] = &[KEY, APP];
        let missing = Credentials::new(api(BOTH), Some("k-123456".into()), &[]).err().unwrap();
        assert_eq!(
            missing.to_string(),
            "invalid Example credential: the security scheme `app` needs a credential too: `Config::default().credential(\"app\", ...)`"
        );
        let unknown = Credentials::new(api(BOTH), Some("k-123456".into()), &[("apps".into(), "x".into())])
            .err()
            .unwrap();
        assert!(unknown.to_string().contains("`apps`, which takes none"), "{unknown}");
        let both = Credentials::new(api(BOTH), Some("k-123456".into()), &[("app".into(), "app-7".into())]).unwrap();
        let request = sent(&both, TAKES_CREDENTIALS);
        assert_eq!(request.headers()["x-app-id"], "app-7");
        assert!(request.url().as_str().ends_with("&api_key=k-123456"));
        assert_eq!(both.schemes(), ["key", "app"]);
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let basic = [Auth {
            scheme: "basic",
            place: Place::Basic,
        }];
        let error = Credentials::new(api(Box::leak(Box::new(basic))), Some("no-colon-secret".into()), &[])
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("`user:password`"), "{error}");
        assert!(!error.contains("no-colon-secret"), "{error}");
        let cookie = [Auth {
            scheme: "session",
            place: Place::Cookie("sid"),
        }];
        let error = Credentials::new(api(Box::leak(Box::new(cookie))), Some("a;b=c".into()), &[])
            .err()
            .unwrap()
            .to_string();
        assert!(error.ends_with("a cookie value cannot hold"), "{error}");
    }

    #[test]
    fn a_token_source_is_asked_for_each_attempt_and_its_tokens_are_redacted() {
        let calls = Arc::new(Mutex::new(0));
        let counted = Arc::clone(&calls);
        let source = Credential::from_source(move || {
            let mut calls = counted.lock().unwrap();
            *calls += 1;
            match *calls {
                3 => Err("refresh failed".into()),
                n => Ok(format!("token-{n}")),
            }
        });
        let bearer = [Auth {
            scheme: "oauth",
            place: Place::Header {
                name: "Authorization",
                prefix: "Bearer ",
            },
        }];
        let credentials = Credentials::new(api(Box::leak(Box::new(bearer))), Some(source), &[]).unwrap();
        let mut request = sent(&credentials, TAKES_CREDENTIALS);
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer token-1");
        credentials.apply(&mut request, TAKES_CREDENTIALS).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer token-2");
        let failed = credentials.apply(&mut request, TAKES_CREDENTIALS).unwrap_err();
        assert_eq!(
            failed,
            "the token source of the security scheme `oauth` failed: refresh failed"
        );
        assert_eq!(
            credentials.redact("echo token-1 and token-2"),
            "echo <redacted> and <redacted>"
        );
    }

    #[test]
    fn query_credentials_are_redacted_from_urls_and_basic_passwords_from_text() {
        let query = Credentials::new(api(&[KEY]), Some("k-123456".into()), &[]).unwrap();
        let mut url: Url = "http://127.0.0.1/things?api_key=k-123456&page=2".parse().unwrap();
        query.redact_url(&mut url);
        assert_eq!(url.as_str(), "http://127.0.0.1/things?page=2&api_key=redacted");
        let mut fresh = sent(&query, TAKES_CREDENTIALS);
        query.apply(&mut fresh, TAKES_CREDENTIALS).unwrap();
        assert_eq!(fresh.url().query_pairs().filter(|(k, _)| k == "api_key").count(), 1);

        let basic = [Auth {
            scheme: "basic",
            place: Place::Basic,
        }];
        let basic = Credentials::new(
            api(Box::leak(Box::new(basic))),
            Some(Credential::basic("ada", "pa55word")),
            &[],
        )
        .unwrap();
        assert_eq!(
            basic.redact("user ada:pa55word, password pa55word, header YWRhOnBhNTV3b3Jk"),
            "user <redacted>, password <redacted>, header <redacted>"
        );
    }
}
