//! What every generated provider crate has alike, written once: the
//! constructors of its `Client`, the hooks progenitor's code requires (each
//! handing its request to the [`Context`](crate::plumbing::Context)), and
//! each operation's `send()`. A generated
//! `lib.rs` invokes these macros with what differs: its [`Api`](crate::plumbing::Api),
//! its default server, and each operation's [`Operation`](crate::plumbing::Operation)
//! and types. They expand to paths of [`plumbing`](crate::plumbing) only.

use std::borrow::Cow;

use progenitor_client::ClientInfo;

use crate::Context;

/// The client's context as a request's builder holds its client: borrowed
/// for as long as the client is, or, from a client of its own
/// (`into_owned()`), shared with it.
#[inline(always)]
pub fn context_of<'a, C: ClientInfo<Context> + Clone>(client: &Cow<'a, C>) -> Cow<'a, Context> {
    match client {
        Cow::Borrowed(client) => {
            let client: &'a C = client;
            Cow::Borrowed(client.inner())
        }
        Cow::Owned(client) => Cow::Owned(client.inner().clone()),
    }
}

/// The constructors of a generated `Client` and its progenitor hooks.
///
/// `client!(API, credential_variable = "X_API_KEY")` gives `with_base_url`,
/// `with_config`, `with_http_client` (each taking the credential of the
/// API's first security scheme) and `from_env_with_base_url`
/// (`, or_variables = ["X_BASIC_AUTH"]`: its credential read from whichever
/// of the variables is set, for a spec that offers alternatives);
/// `client!(API, no_credential)` the same three without a credential, for
/// an API that takes none. `, default_base_url = DEFAULT_BASE_URL` adds `new`
/// (and `from_env`), for the spec's default server. Expanded in a provider
/// crate, whose `Client`, `Config`, `ConfigError` and `Credential` it names.
#[doc(hidden)]
#[macro_export]
macro_rules! client {
    ($api:path, credential_variable = $variable:literal $(, or_variables = [$($other:literal),+])? $(, default_base_url = $url:path)?) => {
        $crate::client!(@constructors $api,
            [credential: impl Into<Credential>,], [credential,], [Some(::std::convert::Into::into(credential))],
            " that authenticates with `credential`", " the credential cannot be sent as the spec says,");
        $(
            $crate::client!(@new $url, [credential: impl Into<Credential>], [credential,],
                " that authenticates with `credential`", " the credential cannot be sent as the spec says, or");
        )?

        impl Client {
            $(
                #[doc = concat!("Creates a client for [`DEFAULT_BASE_URL`] with the credential in `", $variable, "`, as [`Client::from_env_with_base_url`] reads it.")]
                ///
                /// # Errors
                ///
                /// When the variable is unset or blank, or as for [`Client::new`].
                pub fn from_env() -> Result<Self, ConfigError> {
                    Self::from_env_with_base_url($url)
                }
            )?

            #[doc = concat!("Creates a client for the server at `base_url` with the credential in `", $variable, "`" $($(, " or `", $other, "`")+)?)]
            /// (from a file: `Client::with_base_url(base_url, Credential::from_file(path)?)`).
            ///
            /// # Errors
            ///
            /// When the variable is unset or blank, or as for [`Client::with_base_url`].
            pub fn from_env_with_base_url(base_url: &str) -> Result<Self, ConfigError> {
                Self::with_base_url(base_url, Credential::from_env_any(&[$variable $($(, $other)+)?])?)
            }
        }
    };
    ($api:path, no_credential $(, default_base_url = $url:path)?) => {
        $crate::client!(@constructors $api, [], [], [None], "", "");
        $( $crate::client!(@new $url, [], [], "", ""); )?
    };
    (@new $url:path, [$($parameter:tt)*], [$($argument:tt)*], $authenticates:literal, $refused:literal) => {
        impl Client {
            #[doc = concat!("Creates a client for [`DEFAULT_BASE_URL`]", $authenticates, ".")]
            ///
            /// # Errors
            ///
            #[doc = concat!("When", $refused, " the HTTP client cannot be built.")]
            pub fn new($($parameter)*) -> Result<Self, ConfigError> {
                Self::with_base_url($url, $($argument)*)
            }
        }
    };
    (@constructors $api:path, [$($parameter:tt)*], [$($argument:tt)*], [$credential:expr],
        $authenticates:literal, $refused:literal) => {
        impl Client {
            /// Creates a client for the server at `base_url` (scheme, host and any path
            #[doc = concat!("prefix, with or without a trailing slash)", $authenticates, ", with the")]
            /// default [`Config`]: idempotent requests retried up to 3 attempts with
            /// back-off and `Retry-After`, timeouts of 10 s to connect and 30 s for a
            /// response.
            ///
            /// # Errors
            ///
            #[doc = concat!("When `base_url` is not an absolute http(s) URL,", $refused, " or the")]
            /// HTTP client cannot be built.
            pub fn with_base_url(base_url: &str, $($parameter)*) -> Result<Self, ConfigError> {
                Self::with_config(base_url, $($argument)* Config::default())
            }

            /// Like [`Client::with_base_url`], with the retries, rate limit,
            /// timeouts and other credentials of `config`.
            ///
            /// # Errors
            ///
            /// As for [`Client::with_base_url`].
            pub fn with_config(base_url: &str, $($parameter)* config: Config) -> Result<Self, ConfigError> {
                let http_client = $crate::plumbing::http_client(&$api, &config)?;
                Self::with_http_client(base_url, $($argument)* http_client, config)
            }

            /// Like [`Client::with_config`], with a `reqwest::Client` of your own
            /// (proxies, TLS roots); its timeouts apply instead of the configuration's.
            /// The credentials, documented headers, retries and rate limit still apply
            /// to every request.
            ///
            /// # Errors
            ///
            /// As for [`Client::with_base_url`], but for the HTTP client, which is yours.
            pub fn with_http_client(
                base_url: &str,
                $($parameter)*
                http_client: $crate::plumbing::reqwest::Client,
                config: Config,
            ) -> Result<Self, ConfigError> {
                let base_url = $crate::plumbing::BaseUrl::parse(base_url)?;
                let context = $crate::plumbing::Context::at(&$api, $credential, &config, base_url.as_str())?;
                Ok(Self::new_with_client(base_url, http_client, context))
            }
        }

        // What progenitor's `impl Client` requires. Each generated
        // `dispatch()` goes through `plumbing::exchange`, which calls the same
        // `Context::prepare` and `Context::execute`: the hooks do what it
        // does, for any code of progenitor's that would call them.
        #[doc(hidden)]
        impl $crate::plumbing::progenitor_client::ClientHooks<$crate::plumbing::Context> for Client {
            async fn pre<E>(
                &self,
                request: &mut $crate::plumbing::reqwest::Request,
                info: &$crate::plumbing::progenitor_client::OperationInfo,
            ) -> Result<(), $crate::plumbing::progenitor_client::Error<E>> {
                let _ = info;
                self.inner
                    .prepare(request)
                    .map_err($crate::plumbing::progenitor_client::Error::Custom)
            }

            // Not an `async fn`: the runtime's future itself, not one that holds it.
            #[inline]
            fn exec(
                &self,
                request: $crate::plumbing::reqwest::Request,
                info: &$crate::plumbing::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<Output = $crate::plumbing::reqwest::Result<$crate::plumbing::reqwest::Response>> {
                let _ = info;
                self.inner.execute(&self.client, request)
            }
        }
    };
}

/// The `send()` of a generated operation builder: progenitor's `dispatch()`,
/// with its error turned into the runtime's [`Error`](crate::Error), which
/// names the provider, the operation and the status.
///
/// `send!(Builder, OPERATION, Success, ErrorBody, read)`, where `OPERATION`
/// is the operation's [`Operation`](crate::plumbing::Operation) (a constant
/// expression, kept in a `static` the call reads), and `read` says how an
/// error body is read: `typed` (JSON of the documented type), `text` (a body
/// that is not JSON) or `by_status` (the operation's enum of error
/// statuses); `, success_by_status` when the success statuses too are
/// decoded by status.
///
/// `send()` returns the runtime's [`call`](crate::plumbing::call) future as
/// it is (not an `async fn` holding it beside the builder), unless the
/// success statuses are decoded after it.
#[doc(hidden)]
#[macro_export]
macro_rules! send {
    (@doc) => {
        "Sends the request.

# Errors

An [`Error`] that names the provider, the operation and the status: a
documented error status with its body, an undocumented status or a body
not of the documented type (with the body as text), a failed connection,
or an argument outside the spec's bounds (then nothing is sent)."
    };
    (@read typed) => {
        |context, _, body| $crate::plumbing::typed(context, body)
    };
    (@read text) => {
        |context, _, body| $crate::plumbing::read_text(context, body)
    };
    (@read by_status) => {
        $crate::plumbing::by_status
    };
    ($builder:ident, $operation:expr, $success:ty, $error:ty, $read:ident) => {
        impl<'a> builder::$builder<'a> {
            #[doc = $crate::send!(@doc)]
            // Inlined into the caller: the call's future is built where the
            // caller keeps it, not built here and copied out.
            #[inline(always)]
            pub fn send(
                mut self,
            ) -> impl ::std::future::Future<Output = Result<ResponseValue<$success>, Error<$error>>> + 'a {
                static OPERATION: $crate::plumbing::Operation = $operation;
                let options = self.call_options.take();
                let context = $crate::plumbing::context_of(&self.client);
                $crate::plumbing::call(
                    context,
                    &OPERATION,
                    options,
                    self,
                    builder::$builder::dispatch,
                    $crate::send!(@read $read),
                )
            }
        }
    };
    ($builder:ident, $operation:expr, $success:ty, $error:ty, $read:ident, success_by_status) => {
        impl builder::$builder<'_> {
            #[doc = $crate::send!(@doc)]
            pub async fn send(mut self) -> Result<ResponseValue<$success>, Error<$error>> {
                static OPERATION: $crate::plumbing::Operation = $operation;
                let options = self.call_options.take();
                let context = $crate::plumbing::context_of(&self.client);
                let value = $crate::plumbing::call(
                    ::std::borrow::Cow::Borrowed(&*context),
                    &OPERATION,
                    options,
                    self,
                    builder::$builder::dispatch,
                    $crate::send!(@read $read),
                )
                .await;
                $crate::plumbing::success_by_status(&context, OPERATION.id(), value?).await
            }
        }
    };
}

#[cfg(test)]
mod tests {
    //! `client!` expanded on a stand-in for what progenitor generates in a
    //! provider crate: its constructors check their input and hand the
    //! credential, base URL and configuration to the client.

    use crate::{
        Config, ConfigError, Credential,
        plumbing::{Api, Auth, Place},
    };

    static API: Api = Api::new(
        "Example",
        "workspaces-sdk-example/1.0.0",
        &[Auth {
            scheme: "apiKey",
            place: Place::Header {
                name: "X-API-Key",
                prefix: "",
            },
        }],
    );

    const DEFAULT_BASE_URL: &str = "https://api.example.test/v1";

    /// progenitor's `Client`, as far as the glue uses it, in the module where
    /// it is expanded (one for each `client!` below).
    macro_rules! stand_in_client {
        () => {
            struct Client {
                baseurl: crate::plumbing::BaseUrl,
                client: reqwest::Client,
                inner: crate::plumbing::Context,
            }

            impl Client {
                fn new_with_client(
                    baseurl: crate::plumbing::BaseUrl,
                    client: reqwest::Client,
                    inner: crate::plumbing::Context,
                ) -> Self {
                    Self {
                        baseurl,
                        client,
                        inner,
                    }
                }
            }

            impl progenitor_client::ClientInfo<crate::plumbing::Context> for Client {
                fn api_version() -> &'static str {
                    "1.0.0"
                }
                fn baseurl(&self) -> &str {
                    self.baseurl.as_str()
                }
                fn client(&self) -> &reqwest::Client {
                    &self.client
                }
                fn inner(&self) -> &crate::plumbing::Context {
                    &self.inner
                }
            }
        };
    }

    stand_in_client!();

    crate::client!(
        API,
        credential_variable = "EXAMPLE_API_KEY",
        default_base_url = DEFAULT_BASE_URL
    );

    /// A client whose spec offers HTTP basic beside its token scheme.
    mod alternatives {
        use super::{API as ONE, DEFAULT_BASE_URL};
        use crate::{
            Config, ConfigError, Credential,
            plumbing::{Api, Auth, Place},
        };

        static API: Api = Api::new("Example", "example/1", ONE.auth()).or(&[Auth {
            scheme: "basic",
            place: Place::Basic,
        }]);

        stand_in_client!();

        crate::client!(
            API,
            credential_variable = "ALTERNATIVES_TOKEN",
            or_variables = ["ALTERNATIVES_BASIC_AUTH"],
            default_base_url = DEFAULT_BASE_URL
        );

        #[test]
        fn from_env_names_every_variable_it_reads_and_a_token_goes_into_the_first_scheme() {
            // Neither variable is set in the tests' environment.
            let missing = Client::from_env().err().unwrap();
            assert_eq!(
                missing.to_string(),
                "no credential: set the environment variable ALTERNATIVES_TOKEN or ALTERNATIVES_BASIC_AUTH"
            );
            let token = Client::with_config(DEFAULT_BASE_URL, Credential::new("tok"), Config::default()).unwrap();
            let mut request = reqwest::Request::new(reqwest::Method::GET, DEFAULT_BASE_URL.parse().unwrap());
            token.inner.prepare(&mut request).unwrap();
            assert_eq!(request.headers()["x-api-key"], "tok");
            let basic = Client::with_config(
                DEFAULT_BASE_URL,
                Credential::basic("ada", "pa55word"),
                Config::default(),
            );
            let mut request = reqwest::Request::new(reqwest::Method::GET, DEFAULT_BASE_URL.parse().unwrap());
            basic.unwrap().inner.prepare(&mut request).unwrap();
            assert_eq!(request.headers()["authorization"], "Basic YWRhOnBhNTV3b3Jk");
            let _: fn() -> Result<Client, ConfigError> = Client::from_env;
            assert!(Client::new("tok").is_ok());
        }
    }

    #[test]
    fn the_constructors_check_the_base_url_and_keep_the_credential_hidden() {
        let client = Client::new("s3cret").unwrap();
        assert_eq!(client.baseurl.as_str(), DEFAULT_BASE_URL);
        let client = Client::with_base_url("http://127.0.0.1:8080/prefix/", "s3cret").unwrap();
        assert_eq!(client.baseurl.as_str(), "http://127.0.0.1:8080/prefix");
        assert!(!format!("{:?}", client.inner).contains("s3cret"));
        for bad in ["ftp://example.test", "not a url", ""] {
            let error = Client::with_base_url(bad, "s3cret")
                .err()
                .unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(matches!(error, ConfigError::InvalidBaseUrl { .. }), "{bad}: {error:?}");
        }
        let error = Client::with_config(DEFAULT_BASE_URL, Credential::from("bad\nvalue"), Config::default())
            .err()
            .expect("a credential that cannot be a header value");
        assert!(
            matches!(
                error,
                ConfigError::InvalidCredential {
                    provider: "Example",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(!error.to_string().contains("bad\nvalue"), "{error}");
        // The variable is not set in the tests' environment.
        for error in [
            Client::from_env().err(),
            Client::from_env_with_base_url(DEFAULT_BASE_URL).err(),
        ] {
            let error = error.expect("no credential in the environment");
            assert!(
                matches!(&error, ConfigError::MissingCredential { variable } if variable == "EXAMPLE_API_KEY"),
                "{error:?}"
            );
        }
    }
}
