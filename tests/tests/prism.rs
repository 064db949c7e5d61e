//! An independent check of every client against its spec: Prism, an OpenAPI
//! mock server installed by `cargo xtask test`, reads the spec, validates each
//! request against it (`--errors`: a violation is answered with a 4xx, which
//! fails the call) and answers from the spec's examples, which the client must
//! decode. A negative control shows Prism does reject what the spec forbids.

use std::{
    net::{TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use workspaces_sdk_tests::{Arguments, PROVIDERS, authenticate, root, runtime};
use xtask::{
    load::{operations, parameter_schema, parameters},
    model::{Place, Spec},
    pipeline::read_spec,
};

const CREDENTIAL: &str = "test-credential-0123456789";

fn prism() -> PathBuf {
    let path = std::env::var_os(xtask::tools::PRISM_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::tools::prism_path(&root()));
    assert!(
        path.is_file(),
        "{} not found: run the suite with `cargo xtask test`, which installs it",
        path.display()
    );
    path
}

/// A Prism mock server of one spec, stopped when dropped.
struct Prism {
    child: Child,
    base: String,
}

impl Prism {
    fn start(spec: &std::path::Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(prism())
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "Prism did not start for {}", spec.display());
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain request, without the generated client.
/// The status Prism answers a GET of `url`, with the credentials where the
/// spec puts them when `authenticated` names the operation.
fn raw_status(url: &str, authenticated: Option<(&Spec, &str)>) -> u16 {
    runtime().block_on(async {
        let client = reqwest::Client::new();
        let mut request = client.get(url).build().unwrap();
        if let Some((spec, operation_id)) = authenticated {
            authenticate(spec, &mut request, CREDENTIAL, operation_id);
        }
        client.execute(request).await.unwrap().status().as_u16()
    })
}

#[test]
fn every_client_request_passes_prism_and_its_answer_decodes() {
    let mut rejected = 0;
    for provider in PROVIDERS {
        let Some(call) = provider.call else { continue };
        let spec = read_spec(&root().join(provider.spec)).unwrap();
        let prism = Prism::start(&root().join(provider.spec));

        for arguments in [Arguments::None, Arguments::Every] {
            let outcome = runtime().block_on(call(
                prism.base.clone(),
                CREDENTIAL.to_owned(),
                arguments,
                workspaces_sdk_runtime::Config::default(),
            ));
            let (operation, status) = outcome.unwrap_or_else(|e| {
                panic!(
                    "{} {arguments:?}: Prism refused the request or its answer: {e}",
                    provider.id
                )
            });
            assert_eq!(status, 200, "{} {operation} {arguments:?}", provider.id);
        }

        // Negative controls: Prism rejects requests the spec does not allow.
        // An operation that takes the credential (not `security: []`).
        let (pointer, id, _) = operations(&spec.raw)
            .into_iter()
            .find(|(_, id, _)| id.as_ref().is_some_and(|id| !spec.auth.public_operations.contains(id)))
            .expect("an operation that is not public");
        let id = id.as_deref().unwrap();
        let path = pointer
            .trim_start_matches("/paths/")
            .rsplit_once('/')
            .unwrap()
            .0
            .replace("~1", "/");
        // Prism checks API keys and bearer tokens (and basic), not other
        // `Authorization` schemes; an API that takes no credential needs none.
        let prism_checks_it = match spec.auth.schemes.first().map(|scheme| &scheme.place) {
            None => false,
            Some(Place::Header { name, prefix }) => name != "Authorization" || prefix == "Bearer ",
            Some(_) => true,
        };
        let credential = Some((&spec, id));
        for (name, location, _) in parameters(&spec.raw, id)
            .iter()
            .filter(|(_, location, _)| location == "query")
        {
            let schema = parameter_schema(&spec.raw, id, name).unwrap();
            if matches!(schema.get("type").and_then(|t| t.as_str()), Some("integer" | "boolean")) {
                let status = raw_status(
                    &format!("{}{path}?{name}=not-a-{location}-value", prism.base),
                    credential,
                );
                // 422, or the spec's own 400 where it documents one (SeaTable).
                assert!(
                    matches!(status, 400 | 422),
                    "{}: `{name}=not-a-value` was not rejected ({status})",
                    provider.id
                );
                rejected += 1;
            }
        }
        if prism_checks_it {
            let status = raw_status(&format!("{}{path}", prism.base), None);
            assert_eq!(
                status, 401,
                "{}: a request without the credential was not rejected",
                provider.id
            );
            rejected += 1;
        }
    }
    assert!(rejected >= 4, "only {rejected} negative controls ran");
}
