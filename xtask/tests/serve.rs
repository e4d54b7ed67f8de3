//! The static file server behind `cargo xtask serve` and the browser tests, spoken to over raw
//! HTTP/1.1 on a loopback port.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use xtask::{content_type, resolve, serve, Resolved};

/// A fresh folder with a tiny site in it, removed on drop.
struct Site(PathBuf);

impl Site {
    fn new(name: &str) -> Site {
        let dir = std::env::temp_dir().join(format!("gdviz-xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("www/pkg")).unwrap();
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
        fs::write(dir.join("www/pkg/gdviz_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(dir.join("www/pkg/gdviz.js"), "export default 1;").unwrap();
        fs::write(dir.join("www/a b.css"), "body{}").unwrap();
        fs::write(dir.join("sub/index.html"), "sub").unwrap();
        Site(dir.canonicalize().unwrap())
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request exactly as written (no client-side path normalisation).
fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

#[test]
fn serves_files_with_their_content_types_and_no_cache() {
    let site = Site::new("types");
    let server = serve(&site.0, 0).unwrap();
    assert_ne!(server.port(), 0);
    assert_eq!(server.url(), format!("http://127.0.0.1:{}/", server.port()));

    let wasm = request(server.port(), "GET", "/www/pkg/gdviz_bg.wasm");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("Content-Type"), Some("application/wasm"));
    assert_eq!(wasm.header("Cache-Control"), Some("no-cache"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");

    let js = request(server.port(), "GET", "/www/pkg/gdviz.js?v=2");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );

    let index = request(server.port(), "GET", "/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(index.body, b"<!doctype html><title>t</title>");

    let css = request(server.port(), "GET", "/www/a%20b.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));

    let head = request(server.port(), "HEAD", "/www/pkg/gdviz.js");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn missing_files_traversal_and_other_methods_are_refused() {
    let site = Site::new("refuse");
    let server = serve(&site.0.join("www"), 0).unwrap();
    let port = server.port();
    assert_eq!(request(port, "GET", "/nope.js").status, 404);
    assert_eq!(
        request(port, "GET", "/").status,
        404,
        "no index.html in www/"
    );
    for evil in [
        "/../index.html",
        "/pkg/../../index.html",
        "/%2e%2e/index.html",
        "/pkg/%2E%2E/%2e%2e/index.html",
        "/..%2findex.html",
        "/..%5cindex.html",
    ] {
        let reply = request(port, "GET", evil);
        assert_eq!(reply.status, 403, "{evil}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("doctype"));
    }
    assert_eq!(request(port, "GET", "/pkg/%zz").status, 400);
    assert_eq!(request(port, "POST", "/pkg/gdviz.js").status, 405);
}

#[test]
fn folders_serve_their_index_and_redirect_without_slash() {
    let site = Site::new("dirs");
    let server = serve(&site.0, 0).unwrap();
    let reply = request(server.port(), "GET", "/sub");
    assert_eq!(reply.status, 301);
    assert_eq!(reply.header("Location"), Some("/sub/"));
    let reply = request(server.port(), "GET", "/sub/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, b"sub");
}

#[test]
fn dropping_the_server_frees_the_port() {
    let site = Site::new("drop");
    let server = serve(&site.0, 0).unwrap();
    let port = server.port();
    assert_eq!(request(port, "GET", "/").status, 200);
    drop(server);
    let again = serve(&site.0, port).expect("port free again after drop");
    assert_eq!(request(again.port(), "GET", "/").status, 200);
}

#[test]
fn resolve_and_content_type() {
    let site = Site::new("resolve");
    let root = &site.0;
    assert_eq!(resolve(root, "/"), Resolved::File(root.join("index.html")));
    assert_eq!(
        resolve(root, "/./www//pkg/gdviz.js#x"),
        Resolved::File(root.join("www/pkg/gdviz.js"))
    );
    assert_eq!(resolve(root, "/www/pkg/../../x"), Resolved::Forbidden);
    assert_eq!(resolve(root, "http://evil/"), Resolved::BadRequest);
    assert_eq!(resolve(root, "/a%00b"), Resolved::BadRequest);
    assert_eq!(resolve(root, "/missing.wasm"), Resolved::NotFound);

    let ct = |p: &str| content_type(Path::new(p));
    assert_eq!(ct("a.wasm"), "application/wasm");
    assert_eq!(ct("a.MJS"), "text/javascript; charset=utf-8");
    assert_eq!(ct("a.json"), "application/json");
    assert_eq!(ct("a.svg"), "image/svg+xml");
    assert_eq!(ct("a.png"), "image/png");
    assert_eq!(ct("a.csv"), "text/csv; charset=utf-8");
    assert_eq!(ct("a.txt"), "text/plain; charset=utf-8");
    assert_eq!(ct("a.html"), "text/html; charset=utf-8");
    assert_eq!(ct("a.bin"), "application/octet-stream");
}
