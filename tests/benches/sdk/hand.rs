//! Hand-written structs that read the same fields as each provider's
//! generated types (ids as uuids, timestamps as `DateTime<Utc>`, enums as
//! text): the baseline a generated decoder is held to. Fields are read by
//! decoding alone.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

pub mod asters {
    use super::*;

    #[derive(Deserialize)]
    pub struct Envelope {
        pub description: Option<String>,
        pub error: Option<serde_json::Value>,
        pub data: Data,
    }

    #[derive(Deserialize)]
    pub struct Data {
        #[serde(default)]
        pub workspaces: Vec<Workspace>,
        #[serde(rename = "collabWorkspace", default)]
        pub collab_workspace: Vec<Workspace>,
        #[serde(rename = "allWorkspaces", default)]
        pub all_workspaces: Vec<Workspace>,
    }

    #[derive(Deserialize)]
    pub struct Workspace {
        #[serde(rename = "_id")]
        pub id: String,
        pub name: String,
        pub image: Option<Image>,
        pub default: Option<bool>,
        pub user: Option<String>,
        pub timezone: Option<Timezone>,
        pub created_at: Option<DateTime<Utc>>,
        pub updated_at: Option<DateTime<Utc>>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Image {
        Path(String),
        Object(serde_json::Map<String, serde_json::Value>),
    }

    #[derive(Deserialize)]
    pub struct Timezone {
        pub name: Option<String>,
        pub value: Option<String>,
    }
}

pub mod delay {
    use super::*;

    #[derive(Deserialize)]
    pub struct Workspace {
        pub id: Uuid,
        pub identifier: String,
        pub name: String,
        pub owner_id: Option<Uuid>,
        pub workspace_type: String,
        pub domain_name: Option<String>,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub created_by: Option<Uuid>,
        pub updated_by: Option<Uuid>,
    }
}

pub mod motion {
    pub use crate::motion_types::*;
}

pub mod seatable {
    use super::*;

    #[derive(Deserialize)]
    pub struct List {
        pub workspace_list: Vec<Workspace>,
    }

    #[derive(Deserialize)]
    pub struct Workspace {
        pub id: Id,
        pub name: Option<String>,
        #[serde(rename = "type")]
        pub kind: Option<String>,
        pub repo_id: Option<String>,
        pub owner_name: Option<String>,
        pub group_id: Option<i64>,
        pub group_owner: Option<String>,
        pub group_admins: Option<Vec<String>>,
        pub group_member_count: Option<i64>,
        pub table_list: Option<Vec<Base>>,
        pub shared_table_list: Option<Vec<Base>>,
        pub group_shared_dtables: Option<Vec<Base>>,
        pub group_shared_views: Option<Vec<Base>>,
        pub shared_view_list: Option<Vec<SharedView>>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Id {
        Number(i64),
        Text(String),
    }

    #[derive(Deserialize)]
    pub struct Base {
        pub id: i64,
        pub workspace_id: i64,
        pub uuid: Uuid,
        pub name: String,
        pub creator: Option<String>,
        pub modifier: Option<String>,
        pub created_at: Option<DateTime<Utc>>,
        pub updated_at: Option<DateTime<Utc>>,
        pub color: Option<String>,
        pub text_color: Option<String>,
        pub icon: Option<String>,
        pub starred: Option<bool>,
        pub permission: Option<String>,
        pub from_user: Option<String>,
        pub from_user_name: Option<String>,
        pub from_user_avatar: Option<String>,
        pub view_share_id: Option<i64>,
    }

    #[derive(Deserialize)]
    pub struct SharedView {
        pub id: i64,
        pub workspace_id: Option<i64>,
        pub dtable_name: Option<String>,
        pub table_id: Option<String>,
        pub view_id: Option<String>,
        pub color: Option<String>,
        pub text_color: Option<String>,
        pub icon: Option<String>,
        pub permission: Option<String>,
        pub from_user: Option<String>,
        pub from_user_name: Option<String>,
        pub from_user_avatar: Option<String>,
        pub to_user: Option<String>,
        pub to_user_name: Option<String>,
    }
}
