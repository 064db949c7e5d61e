//! A one-shot HTTP server on loopback that records the request it receives
//! and answers with a given status and body.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    sync::mpsc,
    thread,
    time::Duration,
};

/// A request as received on the wire.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Captured {
    /// Every value of a header.
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Serves one request on `127.0.0.1` and returns the server's base URL and
/// the request once it has come. The server gives up after 10 seconds.
pub fn serve_once(status: u16, content_type: &str, body: Vec<u8>) -> (String, mpsc::Receiver<Captured>) {
    serve_once_with(status, &[("content-type", content_type)], body)
}

/// [`serve_once`] with any response headers.
pub fn serve_once_with(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> (String, mpsc::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    let response_headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    thread::spawn(move || {
        // A test that expects no request drops its receiver; the thread ends
        // when the listener's accept gives up.
        listener.set_nonblocking(true).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if std::time::Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                Err(_) => return,
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let mut headers = Vec::new();
        let mut content_length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.trim_end().split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    content_length = value.trim().parse().unwrap_or(0);
                }
                headers.push((name, value.trim().to_owned()));
            }
        }
        let mut request_body = vec![0; content_length];
        let _ = reader.read_exact(&mut request_body);
        let mut stream = stream;
        let head = format!(
            "HTTP/1.1 {status} Status\r\n{response_headers}content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
        let _ = sender.send(Captured {
            method,
            target,
            headers,
        });
    });
    (base, receiver)
}

/// One scripted answer: status, headers, body, and how long to wait first.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    /// A reply with a status and JSON body, at once.
    pub fn new(status: u16, body: &[u8]) -> Self {
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        Self {
            status,
            headers,
            body: body.to_vec(),
            delay: Duration::ZERO,
        }
    }

    /// The same reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same reply, sent after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Serves the replies in order, one connection each, on `127.0.0.1`; every
/// request received is sent on the channel. Gives up 10 s after the last one.
pub fn serve_script(replies: Vec<Reply>) -> (String, mpsc::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for reply in replies {
            let Ok((stream, _)) = listener.accept() else { return };
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let captured = read_request(&stream);
            thread::sleep(reply.delay);
            let headers: String = reply.headers.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
            let head = format!(
                "HTTP/1.1 {} Status\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
                reply.status,
                reply.body.len()
            );
            let mut stream = stream;
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&reply.body);
            if sender.send(captured).is_err() {
                return;
            }
        }
    });
    (base, receiver)
}

/// Reads one request's head from a connection.
pub fn read_request_from(stream: &std::net::TcpStream) -> Captured {
    read_request(stream)
}

fn read_request(stream: &std::net::TcpStream) -> Captured {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    Captured {
        method,
        target,
        headers,
    }
}

/// Serves up to `max` requests on `127.0.0.1`, answering each with what
/// `answer` makes of it; every request received is sent on the channel.
pub fn serve_with(
    max: usize,
    answer: impl Fn(&Captured) -> Reply + Send + 'static,
) -> (String, mpsc::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for _ in 0..max {
            let Ok((stream, _)) = listener.accept() else { return };
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let captured = read_request(&stream);
            let reply = answer(&captured);
            let headers: String = reply.headers.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
            let head = format!(
                "HTTP/1.1 {} Status\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
                reply.status,
                reply.body.len()
            );
            let mut stream = stream;
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&reply.body);
            if sender.send(captured).is_err() {
                return;
            }
        }
    });
    (base, receiver)
}

impl Captured {
    /// The values of a query parameter, decoded.
    pub fn query(&self, name: &str) -> Vec<String> {
        let query = self.target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        reqwest::Url::parse(&format!("http://x/?{query}"))
            .map(|url| {
                url.query_pairs()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}
