//! How a client authenticates, read from `securitySchemes` and the
//! `security` requirements (top-level, and each operation's own).

use serde_json::Value;

use crate::load::{SpecError, escape_pointer, operations, resolve};

/// How the client's credentials go on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Auth {
    /// The schemes of the requirement the client meets, in the order it names
    /// them (empty: the API takes no credential). The constructor's
    /// credential goes into the first; the others come from the
    /// configuration.
    pub schemes: Vec<Scheme>,
    /// The other requirements of one scheme the client can send, in order:
    /// the constructor's credential goes into the first of `schemes` and
    /// these that its kind fits (a `Credential::basic` into HTTP basic, a
    /// token into a bearer or API-key scheme).
    pub alternatives: Vec<Scheme>,
    /// The operations that take no credential (`security: []`).
    pub public_operations: Vec<String>,
    /// The requirements the client does not meet (other alternatives,
    /// schemes it cannot send), in words, for the docs.
    pub not_met: Vec<String>,
    /// The token endpoints of the OAuth2 flows whose tokens go where the
    /// client's credential goes (the first of each flow).
    pub token_urls: Vec<(Flow, String)>,
}

/// An OAuth2 flow with a token endpoint (the runtime's `Flow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    ClientCredentials,
    AuthorizationCode,
    Password,
}

impl Flow {
    /// Each flow, with its name under `flows`.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::ClientCredentials, "clientCredentials"),
        (Self::AuthorizationCode, "authorizationCode"),
        (Self::Password, "password"),
    ];
}

/// A security scheme and where its credential goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme's name in `components.securitySchemes`.
    pub name: String,
    pub place: Place,
}

/// Where a credential goes on the wire (the runtime's `Place`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A header: an `apiKey` header, or `Authorization` with a prefix
    /// (`Bearer ` for `http` `bearer`, `oauth2` and `openIdConnect`).
    Header { name: String, prefix: String },
    /// HTTP basic, from `user:password`.
    Basic,
    /// An `apiKey` query parameter.
    Query(String),
    /// An `apiKey` cookie.
    Cookie(String),
}

impl Auth {
    /// The environment variable `Client::from_env` reads the first scheme's
    /// credential from: `<ID>_API_KEY` for an API key, `<ID>_TOKEN` for a
    /// token, `<ID>_BASIC_AUTH` for `user:password`; `None` without one.
    pub fn credential_variable(&self, id: &str) -> Option<String> {
        Some(self.schemes.first()?.place.variable(id))
    }

    /// Every environment variable the constructor's credential may be read
    /// from: the first scheme's, then each alternative's (`<ID>_BASIC_AUTH`
    /// beside `<ID>_TOKEN`, say).
    /// `<ID>_CLIENT_ID` (with `<ID>_CLIENT_SECRET`) last, where the spec
    /// declares an OAuth2 client-credentials flow.
    pub fn credential_variables(&self, id: &str) -> Vec<String> {
        let mut variables: Vec<String> = self.schemes.first().map(|s| s.place.variable(id)).into_iter().collect();
        for alternative in &self.alternatives {
            let variable = alternative.place.variable(id);
            if !variables.contains(&variable) {
                variables.push(variable);
            }
        }
        if self.token_url(Flow::ClientCredentials).is_some() {
            variables.push(format!("{}_CLIENT_ID", id.to_uppercase()));
        }
        variables
    }

    /// The token endpoint of `flow`, if the spec declares one.
    pub fn token_url(&self, flow: Flow) -> Option<&str> {
        self.token_urls
            .iter()
            .find(|(declared, _)| *declared == flow)
            .map(|(_, url)| url.as_str())
    }

    /// What the client sends, in a sentence for the docs.
    pub fn sentence(&self) -> String {
        let Some(first) = self.schemes.first() else {
            return "The API takes no credential.".to_owned();
        };
        let mut out = format!(
            "The credential goes {} (security scheme `{}`)",
            first.place.words(),
            first.name
        );
        for other in &self.schemes[1..] {
            out += &format!(
                "; with it, the credential of the scheme `{}` goes {} (`Config::credential(\"{}\", ...)`)",
                other.name,
                other.place.words(),
                other.name
            );
        }
        out += ".";
        for alternative in &self.alternatives {
            out += &format!(
                " Or, {}, it goes {} (security scheme `{}`).",
                alternative.place.credential_kind(),
                alternative.place.words(),
                alternative.name
            );
        }
        if !self.public_operations.is_empty() {
            let public: Vec<String> = self.public_operations.iter().map(|id| format!("`{id}`")).collect();
            out += &format!(" No credential is sent to {} (`security: []`).", public.join(", "));
        }
        if let Some(url) = self.token_url(Flow::ClientCredentials) {
            out += &format!(
                " Or, given OAuth2 client credentials (`Credential::client_credentials(id, secret)`), tokens are asked of `{url}` and renewed before they expire."
            );
        }
        if !self.not_met.is_empty() {
            out += &format!(" Not sent: {}.", self.not_met.join("; "));
        }
        out
    }
}

impl Place {
    /// The environment variable a credential for this place is read from:
    /// `<ID>_TOKEN` for a token, `<ID>_BASIC_AUTH` for `user:password`,
    /// `<ID>_API_KEY` for an API key.
    pub fn variable(&self, id: &str) -> String {
        let kind = match self {
            Self::Header { prefix, .. } if !prefix.is_empty() => "TOKEN",
            Self::Basic => "BASIC_AUTH",
            _ => "API_KEY",
        };
        format!("{}_{kind}", id.to_uppercase())
    }

    /// Whether a user and password go here (HTTP basic), not a token or key.
    pub fn is_basic(&self) -> bool {
        matches!(self, Self::Basic)
    }

    /// Which credential goes here, in words: a `Credential::basic` into
    /// HTTP basic, a token or key anywhere else.
    pub fn credential_kind(&self) -> &'static str {
        match self {
            Self::Basic => "given `Credential::basic(user, password)`",
            _ => "given a token or key (`Credential::new`)",
        }
    }

    /// Where the credential goes, in words.
    pub fn words(&self) -> String {
        match self {
            Self::Header { name, prefix } if prefix.is_empty() => format!("in the `{name}` header"),
            Self::Header { name, prefix } => format!("in the `{name}` header, as `{prefix}<credential>`"),
            Self::Basic => "in the `Authorization` header as HTTP basic (`user:password`)".to_owned(),
            Self::Query(name) => format!("in the query parameter `{name}` (redacted from errors and logs)"),
            Self::Cookie(name) => format!("in the cookie `{name}`"),
        }
    }
}

/// Reads the schemes and requirements. The client meets the first
/// requirement, top-level ones first, that names at least one scheme and
/// only schemes it can send.
pub(super) fn read_auth(raw: &Value, error: &impl Fn(&str, String) -> SpecError) -> Result<Auth, SpecError> {
    let mut requirements = Vec::new();
    let top = raw.get("security").and_then(Value::as_array);
    requirements.extend(
        top.into_iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| (format!("/security/{i}"), r)),
    );
    let mut public_operations = Vec::new();
    for (pointer, id, operation) in operations(raw) {
        let Some(own) = operation.get("security").and_then(Value::as_array) else {
            continue;
        };
        if own.is_empty() {
            public_operations.extend(id);
            continue;
        }
        requirements.extend(
            own.iter()
                .enumerate()
                .map(|(i, r)| (format!("{pointer}/security/{i}"), r)),
        );
    }

    let named: Vec<String> = requirements
        .iter()
        .filter_map(|(_, requirement)| requirement.as_object())
        .flat_map(|requirement| requirement.keys().cloned())
        .collect();
    let mut not_met = Vec::new();
    let mut refusals = Vec::new();
    let mut chosen: Option<Vec<Scheme>> = None;
    let mut alternatives: Vec<Scheme> = Vec::new();
    for (pointer, requirement) in requirements {
        let Some(requirement) = requirement.as_object() else {
            return Err(error(&pointer, "a security requirement must be an object".into()));
        };
        if requirement.is_empty() {
            continue;
        }
        let schemes: Result<Vec<Scheme>, (String, String)> = requirement
            .keys()
            .map(|name| read_scheme(raw, name).map_err(|(at, why)| (at.unwrap_or_else(|| pointer.clone()), why)))
            .collect();
        let names: Vec<String> = requirement.keys().map(|name| format!("`{name}`")).collect();
        match (schemes, &chosen) {
            (Ok(schemes), None) => chosen = Some(schemes),
            (Ok(schemes), Some(chosen)) if *chosen == schemes || alternatives.contains(&schemes[0]) => {}
            // One scheme for the other kind of credential (HTTP basic beside
            // tokens, or the reverse): the credential's kind picks it.
            (Ok(mut schemes), Some(chosen))
                if schemes.len() == 1
                    && chosen
                        .first()
                        .is_some_and(|first| first.place.is_basic() != schemes[0].place.is_basic())
                    && !alternatives
                        .iter()
                        .any(|a| a.place.is_basic() == schemes[0].place.is_basic()) =>
            {
                alternatives.push(schemes.remove(0));
            }
            (Ok(_), Some(_)) => not_met.push(format!("the alternative {}", names.join(" with "))),
            (Err((at, why)), _) => {
                not_met.push(format!("{} ({why})", names.join(" with ")));
                refusals.push((at, why));
            }
        }
    }
    not_met.dedup();
    let schemes = match (chosen, refusals.into_iter().next()) {
        (Some(schemes), _) => schemes,
        // Every requirement names a scheme the client cannot send.
        (None, Some((at, why))) => return Err(error(&at, why)),
        (None, None) => Vec::new(),
    };
    if schemes.is_empty() {
        public_operations.clear();
    }
    // An OAuth2 scheme's tokens go where its place is one of the client's.
    let mut token_urls: Vec<(Flow, String)> = Vec::new();
    for name in named {
        let Ok(scheme) = read_scheme(raw, &name) else { continue };
        if !schemes.iter().chain(&alternatives).any(|s| s.place == scheme.place) {
            continue;
        }
        for (flow, url) in token_endpoints(raw, &name) {
            if !token_urls.iter().any(|(known, _)| *known == flow) {
                token_urls.push((flow, url));
            }
        }
    }
    Ok(Auth {
        schemes,
        alternatives,
        public_operations,
        not_met,
        token_urls,
    })
}

/// The `tokenUrl` of each flow of the OAuth2 scheme `name` (a relative one
/// is resolved against the client's base URL).
fn token_endpoints(raw: &Value, name: &str) -> Vec<(Flow, String)> {
    let pointer = format!("/components/securitySchemes/{}", escape_pointer(name));
    let Some(scheme) = raw.pointer(&pointer).and_then(|scheme| resolve(raw, scheme)) else {
        return Vec::new();
    };
    if scheme.get("type").and_then(Value::as_str) != Some("oauth2") {
        return Vec::new();
    }
    Flow::ALL
        .iter()
        .filter_map(|(flow, key)| {
            let url = scheme.pointer(&format!("/flows/{key}/tokenUrl"))?.as_str()?.trim();
            (!url.is_empty()).then(|| (*flow, url.to_owned()))
        })
        .collect()
}

/// One scheme of `components.securitySchemes`, or where and why it cannot
/// be sent.
fn read_scheme(raw: &Value, name: &str) -> Result<Scheme, (Option<String>, String)> {
    let pointer = format!("/components/securitySchemes/{}", escape_pointer(name));
    let scheme = raw
        .pointer(&pointer)
        .and_then(|scheme| resolve(raw, scheme))
        .ok_or_else(|| (None, format!("security scheme `{name}` is not defined")))?;
    let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
    let refuse = |why: String| Err((Some(pointer.clone()), why));
    let place = match (
        field("type"),
        field("in"),
        field("scheme").to_ascii_lowercase().as_str(),
    ) {
        ("apiKey", location, _) if field("name").is_empty() => {
            return refuse(format!("an apiKey in `{location}` needs a `name`"));
        }
        ("apiKey", "header", _) => Place::Header {
            name: field("name").to_owned(),
            prefix: String::new(),
        },
        ("apiKey", "query", _) => Place::Query(field("name").to_owned()),
        ("apiKey", "cookie", _) => Place::Cookie(field("name").to_owned()),
        ("http", _, "basic") => Place::Basic,
        ("http", _, "digest" | "") => {
            return refuse(format!("HTTP `{}` authentication is not supported", field("scheme")));
        }
        ("http", _, scheme) => Place::Header {
            name: "Authorization".to_owned(),
            prefix: format!("{} ", crate::rust_names::capitalized(scheme)),
        },
        ("oauth2" | "openIdConnect", _, _) => Place::Header {
            name: "Authorization".to_owned(),
            prefix: "Bearer ".to_owned(),
        },
        (kind, location, _) => {
            return refuse(format!(
                "security scheme type `{kind}` (in `{location}`) is not supported: use apiKey, http, oauth2 or openIdConnect"
            ));
        }
    };
    let valid = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    match &place {
        Place::Header { name, .. } | Place::Query(name) | Place::Cookie(name) if !valid(name) => {
            refuse(format!("`{name}` is not a name a client can send"))
        }
        _ => Ok(Scheme {
            name: name.to_owned(),
            place,
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(spec: Value) -> Result<Auth, String> {
        let error = |pointer: &str, message: String| SpecError {
            file: "t.yaml".into(),
            pointer: pointer.to_owned(),
            message,
        };
        read_auth(&spec, &error).map_err(|e| e.to_string())
    }

    fn spec(security: Value, operation_security: Option<Value>) -> Value {
        let mut operation = json!({"operationId": "listThings"});
        if let Some(own) = operation_security {
            operation["security"] = own;
        }
        json!({
            "security": security,
            "paths": {"/things": {"get": operation}, "/ping": {"get": {"operationId": "ping", "security": []}}},
            "components": {"securitySchemes": {
                "oauth": {"type": "oauth2", "flows": {}},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example/.well-known"},
                "key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "app": {"type": "apiKey", "in": "header", "name": "X-App-Id"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
                "basic": {"type": "http", "scheme": "basic"},
                "digest": {"type": "http", "scheme": "digest"},
                "tls": {"type": "mutualTLS"}
            }}
        })
    }

    #[test]
    fn oauth2_token_endpoints_are_read_where_their_tokens_go_with_the_client_id_variable() {
        let mut raw = spec(json!([{"bearer": []}, {"oauth": []}]), None);
        let schemes = &mut raw["components"]["securitySchemes"];
        schemes["bearer"] = json!({"type": "http", "scheme": "bearer"});
        schemes["oauth"]["flows"] = json!({
            "authorizationCode": {"authorizationUrl": "https://id.example/authorize", "tokenUrl": "https://id.example/token", "scopes": {}},
            "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}
        });
        let auth = read(raw.clone()).unwrap();
        assert_eq!(
            auth.token_urls,
            [
                (Flow::ClientCredentials, "/oauth/token".to_owned()),
                (Flow::AuthorizationCode, "https://id.example/token".to_owned())
            ]
        );
        assert_eq!(auth.credential_variables("acme"), ["ACME_TOKEN", "ACME_CLIENT_ID"]);
        assert!(
            auth.sentence().contains("tokens are asked of `/oauth/token`"),
            "{}",
            auth.sentence()
        );
        // Where the client's credential goes into an API-key header, an
        // OAuth2 token would not: no endpoint is kept.
        let mut api_key = raw.clone();
        api_key["security"] = json!([{"app": []}, {"oauth": []}]);
        assert!(read(api_key).unwrap().token_urls.is_empty());
        // Without a client-credentials flow, no client id is read.
        raw["components"]["securitySchemes"]["oauth"]["flows"]
            .as_object_mut()
            .unwrap()
            .remove("clientCredentials");
        let auth = read(raw).unwrap();
        assert_eq!(auth.credential_variables("acme"), ["ACME_TOKEN"]);
        assert_eq!(
            auth.token_url(Flow::AuthorizationCode),
            Some("https://id.example/token")
        );
    }

    #[test]
    fn every_kind_of_scheme_is_read_where_it_goes() {
        let auth = read(spec(json!([{"oauth": ["read"]}]), None)).unwrap();
        let bearer = Place::Header {
            name: "Authorization".into(),
            prefix: "Bearer ".into(),
        };
        assert_eq!(auth.schemes[0].place, bearer);
        assert_eq!(auth.public_operations, ["ping"]);
        assert_eq!(auth.credential_variable("acme").as_deref(), Some("ACME_TOKEN"));
        assert_eq!(
            read(spec(json!([{"oidc": []}]), None)).unwrap().schemes[0].place,
            bearer
        );
        let query = read(spec(json!([{"key": []}]), None)).unwrap();
        assert_eq!(query.schemes[0].place, Place::Query("api_key".into()));
        assert_eq!(query.credential_variable("acme").as_deref(), Some("ACME_API_KEY"));
        let cookie = read(spec(json!([{"session": []}]), None)).unwrap();
        assert_eq!(cookie.schemes[0].place, Place::Cookie("sid".into()));
        let basic = read(spec(json!([{"basic": []}]), None)).unwrap();
        assert_eq!(basic.schemes[0].place, Place::Basic);
        assert_eq!(basic.credential_variable("acme").as_deref(), Some("ACME_BASIC_AUTH"));
    }

    #[test]
    fn no_security_is_a_client_without_credential_and_operations_may_declare_their_own() {
        let none = read(json!({"paths": {"/a": {"get": {"operationId": "a"}}}})).unwrap();
        assert_eq!(none, Auth::default());
        assert_eq!(none.credential_variable("acme"), None);
        assert_eq!(none.sentence(), "The API takes no credential.");
        // No top-level requirement: an operation's own is the client's.
        let own = read(spec(json!([]), Some(json!([{"basic": []}])))).unwrap();
        assert_eq!(own.schemes[0].name, "basic");
    }

    #[test]
    fn the_first_requirement_it_can_meet_is_the_clients_and_the_docs_name_the_rest() {
        let auth = read(spec(
            json!([{"digest": []}, {"key": [], "app": []}, {"oauth": []}]),
            None,
        ))
        .unwrap();
        let names: Vec<&str> = auth.schemes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["key", "app"]);
        assert_eq!(
            auth.sentence(),
            "The credential goes in the query parameter `api_key` (redacted from errors and logs) (security scheme \
             `key`); with it, the credential of the scheme `app` goes in the `X-App-Id` header \
             (`Config::credential(\"app\", ...)`). No credential is sent to `ping` (`security: []`). \
             Not sent: `digest` (HTTP `digest` authentication is not supported); the alternative `oauth`."
        );
    }

    #[test]
    fn alternatives_of_one_scheme_are_offered_to_the_credential_that_fits_them() {
        let auth = read(spec(
            json!([{"oauth": []}, {"basic": []}, {"oauth": []}, {"key": [], "app": []}, {"oidc": []}]),
            None,
        ))
        .unwrap();
        let names = |schemes: &[Scheme]| schemes.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&auth.schemes), ["oauth"]);
        assert_eq!(names(&auth.alternatives), ["basic"], "each once, never the chosen one");
        assert!(
            auth.sentence().contains(
                "Or, given `Credential::basic(user, password)`, it goes in the `Authorization` header as HTTP basic"
            ),
            "{}",
            auth.sentence()
        );
        // A token scheme beside a token scheme: a token always goes into the first.
        assert_eq!(
            auth.not_met,
            ["the alternative `key` with `app`", "the alternative `oidc`"]
        );
    }

    #[test]
    fn a_spec_whose_every_requirement_cannot_be_met_is_refused_with_the_place() {
        let refused = read(spec(json!([{"tls": []}]), None)).unwrap_err();
        assert_eq!(
            refused,
            "t.yaml: at /components/securitySchemes/tls: security scheme type `mutualTLS` (in ``) is not \
             supported: use apiKey, http, oauth2 or openIdConnect"
        );
        let undefined = read(spec(json!([{"nope": []}]), None)).unwrap_err();
        assert_eq!(
            undefined,
            "t.yaml: at /security/0: security scheme `nope` is not defined"
        );
    }
}
