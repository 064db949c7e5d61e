//! A keep-alive HTTP/1.1 server on loopback for the benchmarks: each
//! connection on its own thread, each answer written at once after an
//! optional latency, the body chosen by the request's target.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
    time::Duration,
};

/// How the server answers a request target (`/workspaces?page=2`): the
/// body of a `200` with JSON.
pub type Answer = Arc<dyn Fn(&str) -> Arc<Vec<u8>> + Send + Sync>;

/// A running server: its base URL and how many requests it answered.
pub struct Server {
    pub base_url: String,
    pub requests: Arc<AtomicUsize>,
}

impl Server {
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Serves `answer` on a free loopback port, each response after `latency`.
pub fn serve(latency: Duration, answer: Answer) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base_url = format!("http://{}", listener.local_addr().expect("its address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    thread::spawn(move || {
        crate::pin::server_thread();
        for stream in listener.incoming().flatten() {
            let (answer, counted) = (answer.clone(), counted.clone());
            thread::spawn(move || {
                crate::pin::server_thread();
                connection(stream, latency, &*answer, &counted)
            });
        }
    });
    Server { base_url, requests }
}

fn connection(
    stream: TcpStream,
    latency: Duration,
    answer: &(dyn Fn(&str) -> Arc<Vec<u8>> + Send + Sync),
    counted: &AtomicUsize,
) {
    // One write a response, sent at once: no wait on a delayed ACK.
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split(' ').nth(1).unwrap_or("/").to_owned();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line.trim().is_empty() {
                break;
            }
        }
        counted.fetch_add(1, Ordering::SeqCst);
        if !latency.is_zero() {
            thread::sleep(latency);
        }
        let body = answer(&target);
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(&body);
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// The value of `name` in a request target's query, if any.
pub fn query<'a>(target: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}
