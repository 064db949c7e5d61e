//! Motion's page of workspaces as hand-written structs, reading the fields
//! its generated types read (enums as text): the baseline of the decoding
//! benchmark, and the types of the hand-written client (`motion_client.rs`).
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Page {
    pub meta: Meta,
    pub workspaces: Vec<Workspace>,
}

#[derive(Debug, Deserialize)]
pub struct Meta {
    #[serde(rename = "pageSize")]
    pub page_size: Option<i64>,
    #[serde(rename = "nextCursor")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    #[serde(rename = "teamId")]
    pub team_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub labels: Vec<Label>,
    pub statuses: Vec<Status>,
}

#[derive(Debug, Deserialize)]
pub struct Label {
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Status {
    pub name: Option<String>,
    #[serde(rename = "isDefaultStatus")]
    pub is_default: Option<bool>,
    #[serde(rename = "isResolvedStatus")]
    pub is_resolved: Option<bool>,
}
