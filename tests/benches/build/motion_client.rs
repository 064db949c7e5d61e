//! A hand-written Motion client, as a user would write one without the SDK,
//! doing what a production client must: a `User-Agent`, `Accept:
//! application/json`, the key in its header, the body read with a bound,
//! one retry on 429 after its `Retry-After`, the cursor followed page by
//! page. The call benchmark's production baseline, and the build
//! benchmark's hand-written crate.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::{StatusCode, header};

use crate::motion_types::{Page, Workspace};

/// The most of a body that is read.
const BODY_LIMIT: usize = 16 << 20;

/// What went wrong.
#[derive(Debug)]
pub enum Error {
    Transport(reqwest::Error),
    Status(StatusCode, String),
    TooLarge,
    Decode(serde_json::Error),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Self::Transport(error)
    }
}

pub struct Client {
    http: reqwest::Client,
    base_url: String,
    key: String,
}

impl Client {
    pub fn new(base_url: &str, key: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .user_agent("motion-by-hand/1.0")
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            key: key.to_owned(),
        })
    }

    /// One page of workspaces, after `cursor` if given.
    pub async fn list_workspaces(&self, cursor: Option<&str>) -> Result<Page, Error> {
        let mut retried = false;
        loop {
            let mut request = self
                .http
                .get(format!("{}/workspaces", self.base_url))
                .header(header::ACCEPT, "application/json")
                .header("x-api-key", &self.key);
            if let Some(cursor) = cursor {
                request = request.query(&[("cursor", cursor)]);
            }
            let mut response = request.send().await?;
            if response.status() == StatusCode::TOO_MANY_REQUESTS && !retried {
                let wait = response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                    .unwrap_or(1);
                tokio::time::sleep(Duration::from_secs(wait)).await;
                retried = true;
                continue;
            }
            let status = response.status();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(Error::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            if !status.is_success() {
                return Err(Error::Status(status, String::from_utf8_lossy(&body).into_owned()));
            }
            return serde_json::from_slice(&body).map_err(Error::Decode);
        }
    }

    /// Every workspace, page after page.
    pub async fn all_workspaces(&self) -> Result<Vec<Workspace>, Error> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.list_workspaces(cursor.as_deref()).await?;
            all.extend(page.workspaces);
            match page.meta.next_cursor {
                Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
                _ => return Ok(all),
            }
        }
    }
}
