//! The facade's one model across providers: normalized workspaces, each once,
//! from every page; credentials and providers by name.

use futures_util::TryStreamExt;
use workspaces_sdk::{Client, ConfigError, Credentials, CredentialsError, ListWorkspaces, Provider, Workspace};
use workspaces_sdk_tests::capture::{Reply, serve_script};

const A1: &str = "6630bc19678a6f4e41d71c0d";
const B2: &str = "663b3db7522ef4893db24536";

fn asters_workspace(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({"_id": id, "name": name, "user": "u-1", "created_at": "2024-04-30T09:38:33.380+02:00"})
}

#[tokio::test]
async fn asters_lists_all_workspaces_each_once() {
    let (a, b) = (asters_workspace(A1, "Mine"), asters_workspace(B2, "Shared with me"));
    let body = serde_json::json!({
        "description": "ok",
        "data": {"workspaces": [a], "collabWorkspace": [b], "allWorkspaces": [a, b, a]},
        "error": null,
    });
    let (base_url, _requests) = serve_script(vec![Reply::new(200, body.to_string().as_bytes())]);
    let client = Client::with_base_url(&base_url, Credentials::new(Provider::Asters, "k")).unwrap();
    let workspaces: Vec<Workspace> = client.workspaces().try_collect().await.unwrap();
    let ids: Vec<String> = workspaces.iter().map(|w| w.id().into_owned()).collect();
    assert_eq!(ids, [A1, B2]);
    let first = &workspaces[0];
    assert_eq!((first.provider(), first.name().as_ref()), (Provider::Asters, "Mine"));
    assert_eq!((first.kind().as_deref(), first.owner().as_deref()), (None, Some("u-1")));
    assert_eq!(
        first.created_at().unwrap().to_rfc3339(),
        "2024-04-30T07:38:33.380+00:00"
    );
}

#[tokio::test]
async fn seatable_lists_every_entry_even_those_without_an_id() {
    let body = br#"{"workspace_list": [
        {"id": "", "name": "starred", "type": "starred"},
        {"id": "", "name": "shared", "type": "shared"},
        {"id": 7, "type": "group", "group_owner": "alex@example.com"},
        {"id": 8, "name": "old", "owner_name": "one", "type": "from-the-future"}
    ]}"#;
    let (base_url, _requests) = serve_script(vec![Reply::new(200, body)]);
    let client = Client::with_base_url(&base_url, Credentials::new(Provider::SeaTable, "k")).unwrap();
    let workspaces: Vec<Workspace> = client.workspaces().try_collect().await.unwrap();
    let rows: Vec<(String, String, Option<String>, Option<String>)> = workspaces
        .iter()
        .map(|w| {
            let text = |t: Option<std::borrow::Cow<'_, str>>| t.map(|t| t.into_owned());
            (
                w.id().into_owned(),
                w.name().into_owned(),
                text(w.kind()),
                text(w.owner()),
            )
        })
        .collect();
    let expected = [
        ("", "starred", Some("starred"), None),
        ("", "shared", Some("shared"), None),
        ("7", "", Some("group"), Some("alex@example.com")),
        ("8", "old", Some("from-the-future"), Some("one")),
    ]
    .map(|(id, name, kind, owner): (&str, &str, Option<&str>, Option<&str>)| {
        (
            id.to_owned(),
            name.to_owned(),
            kind.map(str::to_owned),
            owner.map(str::to_owned),
        )
    });
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn motion_pages_are_followed_and_a_provider_error_keeps_its_status() {
    let page = |id: &str, next: Option<&str>| {
        let meta = match next {
            Some(cursor) => serde_json::json!({"nextCursor": cursor}),
            None => serde_json::json!({}),
        };
        let body = serde_json::json!({"meta": meta, "workspaces": [{"id": id, "name": id, "type": "team", "labels": [], "statuses": [], "teamId": null}]});
        Reply::new(200, body.to_string().as_bytes())
    };
    let (base_url, requests) = serve_script(vec![page("w1", Some("c-1")), page("w2", None)]);
    let client = workspaces_sdk::motion::Client::with_base_url(&base_url, "k").unwrap();
    let pages: Vec<Vec<Workspace>> = client.list_workspaces().workspace_pages().try_collect().await.unwrap();
    let ids: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.iter().map(|w| w.id().into_owned()).collect())
        .collect();
    assert_eq!(ids, [vec!["w1"], vec!["w2"]]);
    assert_eq!(requests.try_iter().nth(1).unwrap().query("cursor"), ["c-1"]);

    let limited = Reply::new(429, br#"{"message": "Rate limit exceeded"}"#);
    let (base_url, _requests) = serve_script(vec![limited]);
    let config = workspaces_sdk::Config::default().without_retries();
    let motion = workspaces_sdk::motion::Client::with_config(&base_url, "k", config).unwrap();
    let client = Client::from(motion);
    let error = client.workspaces().try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        error.body(),
        Some(&serde_json::json!({"message": "Rate limit exceeded"}))
    );
    assert!(
        error.to_string().starts_with("Motion listWorkspaces: HTTP 429"),
        "{error}"
    );
}

#[test]
fn a_provider_s_own_workspace_converts_into_the_normalized_one() {
    let delay: workspaces_sdk::delay::types::Workspace = serde_json::from_value(serde_json::json!({
        "id": "d4add56e-c345-4ac9-b392-7a890a60559a", "identifier": "delay", "name": "Delay",
        "workspace_type": "multi_user", "created_at": "2023-05-06T00:00:00Z", "updated_at": "2023-05-06T00:00:00Z",
    }))
    .unwrap();
    let workspace = Workspace::from(delay);
    assert_eq!(workspace.provider(), Provider::Delay);
    assert_eq!(workspace.id(), "d4add56e-c345-4ac9-b392-7a890a60559a");
    assert_eq!(workspace.name(), "Delay");
    assert_eq!(workspace.kind().as_deref(), Some("multi_user"));
    assert_eq!(workspace.owner(), None);
    let workspaces_sdk::Details::Delay(details) = workspace.details() else {
        panic!("not Delay's details: {:?}", workspace.details())
    };
    assert_eq!(details.identifier, "delay");
    let json = serde_json::to_value(&workspace).unwrap();
    let normalized = serde_json::json!({
        "provider": "delay", "id": "d4add56e-c345-4ac9-b392-7a890a60559a", "name": "Delay",
        "kind": "multi_user", "owner": null, "created_at": "2023-05-06T00:00:00Z",
    });
    for (key, value) in normalized.as_object().unwrap() {
        assert_eq!(&json[key], value, "{key}");
    }
    assert_eq!(
        json["details"]["identifier"], "delay",
        "the provider's own fields, under details"
    );
}

#[test]
fn providers_parse_by_id_or_name_and_credentials_never_show() {
    assert_eq!("SeaTable".parse::<Provider>(), Ok(Provider::SeaTable));
    assert_eq!("motion".parse::<Provider>(), Ok(Provider::Motion));
    let error = "nope".parse::<Provider>().unwrap_err().to_string();
    let ids: Vec<&str> = Provider::ALL.iter().map(|p| p.id()).collect();
    assert_eq!(error, format!("unknown provider `nope`: use one of {}", ids.join(", ")));
    let names: Vec<String> = Provider::ALL.iter().map(ToString::to_string).collect();
    for documented in ["Asters", "Delay", "Motion", "SeaTable"] {
        assert!(names.iter().any(|name| name == documented), "{names:?}");
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "in the order of their ids");

    let credentials = Credentials::new(Provider::Motion, "sk-live-secret");
    assert!(!format!("{credentials:?}").contains("sk-live-secret"));
    let missing = Credentials::from_file(Provider::Delay, "/no/such/file").unwrap_err();
    assert!(matches!(missing, CredentialsError::File { .. }), "{missing}");
    match Client::new(Credentials::new(Provider::Delay, "k")) {
        Err(ConfigError::NoDefaultServer { provider: "Delay" }) => {}
        other => panic!("expected no default server, got {other:?}"),
    }
}

#[tokio::test]
async fn workspaces_compare_and_read_back_what_they_wrote() {
    for entry in workspaces_sdk_tests::PROVIDERS {
        // The providers the facade lists (those with `x-workspaces`).
        let Ok(provider) = entry.id.parse::<Provider>() else {
            continue;
        };
        let spec = xtask::pipeline::read_spec(&workspaces_sdk_tests::root().join(entry.spec)).unwrap();
        let listing = &spec.listing().unwrap().operation_id;
        let body = workspaces_sdk_tests::success_example(&spec, Some(listing));
        let body = workspaces_sdk_tests::as_last_page(&spec, listing, body);
        let (base_url, _requests) = serve_script(vec![Reply::new(200, body.to_string().as_bytes())]);
        let client = Client::with_base_url(&base_url, Credentials::new(provider, "k")).unwrap();
        let workspaces: Vec<Workspace> = client.workspaces().try_collect().await.unwrap();
        assert!(!workspaces.is_empty(), "{provider}");
        for workspace in &workspaces {
            let json = serde_json::to_string(workspace).unwrap();
            let back: Workspace = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, workspace, "{provider}: {json}");
        }
        if let [first, second, ..] = &workspaces[..] {
            assert_ne!(first, second, "{provider}: two workspaces compare equal");
        }
    }
    let unknown = serde_json::from_str::<Workspace>(r#"{"provider": "nobody", "details": {}}"#).unwrap_err();
    assert!(unknown.to_string().contains("nobody"), "{unknown}");
    let odd = serde_json::from_str::<Workspace>(r#"{"provider": "delay", "details": {"id": 7}}"#).unwrap_err();
    assert!(odd.to_string().starts_with("the details of a Delay workspace"), "{odd}");
}

#[tokio::test]
async fn a_list_parameter_takes_any_iterable_of_text_and_goes_out_as_repeated_keys() {
    let page = r#"{"meta": {}, "workspaces": []}"#;
    let (base_url, requests) = serve_script(vec![Reply::new(200, page.as_bytes()); 3]);
    let client = workspaces_sdk::motion::Client::with_base_url(&base_url, "k").unwrap();
    let owned = vec![String::from("w-1"), String::from("w-2")];
    let borrowed: Vec<&str> = owned.iter().map(String::as_str).collect();
    for ids in [
        client.list_workspaces().ids(["w-1", "w-2"]),
        client.list_workspaces().ids(owned.clone()),
        client
            .list_workspaces()
            .ids(borrowed.iter().copied().filter(|id| id.starts_with('w'))),
    ] {
        ids.send().await.unwrap();
        assert_eq!(requests.recv().unwrap().query("ids"), ["w-1", "w-2"]);
    }
}

/// A listing stream that owns its client: built in a function that drops the
/// client, then read in a spawned task.
fn motion_names(base_url: &str) -> workspaces_sdk::Workspaces<'static> {
    let client = workspaces_sdk::motion::Client::with_base_url(base_url, "k").unwrap();
    client.list_workspaces().ids(["w-1", "w-2"]).into_owned().workspaces()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listing_that_owns_its_client_outlives_it_and_runs_in_a_task() {
    let page = |id: &str, next: Option<&str>| {
        let workspace = serde_json::json!({"id": id, "name": id, "type": "team", "labels": [], "statuses": []});
        let body = serde_json::json!({"meta": {"nextCursor": next}, "workspaces": [workspace]});
        Reply::new(200, body.to_string().as_bytes())
    };
    let (base_url, requests) = serve_script(vec![page("w-1", Some("c-2")), page("w-2", None)]);
    let stream = motion_names(&base_url);
    let listed = tokio::spawn(async move { stream.try_collect::<Vec<Workspace>>().await })
        .await
        .unwrap()
        .unwrap();
    let ids: Vec<String> = listed.iter().map(|w| w.id().into_owned()).collect();
    assert_eq!(ids, ["w-1", "w-2"]);
    let second = requests.try_iter().nth(1).unwrap();
    assert_eq!(
        (second.query("cursor"), second.query("ids")),
        (vec!["c-2".to_owned()], vec!["w-1".to_owned(), "w-2".to_owned()])
    );

    let client = workspaces_sdk::delay::Client::with_base_url(&base_url, "k").unwrap();
    let provider_stream: workspaces_sdk::delay::Items<'static, _, _> = client.list_workspaces().into_owned().stream();
    drop(client);
    drop(provider_stream);
}

#[test]
fn a_string_newtype_prints_and_compares_as_its_text() {
    let body: workspaces_sdk::asters::types::RawErrorBody = "Unauthorized".to_owned().into();
    assert_eq!(body.to_string(), "Unauthorized");
    assert_eq!(body.as_str(), "Unauthorized");
    assert!(body == "Unauthorized");
    let text: &str = body.as_ref();
    assert_eq!(text, "Unauthorized");
}
