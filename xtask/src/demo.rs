//! `cargo xtask demo`: builds the package, installs it into a scratch app the
//! way a user would, starts the local GenAuth tenant (`genauth-emulator`) and
//! the demo app (`www/serve.mjs`) on loopback, prints both URLs, and stops
//! both on Ctrl-C. With `GENAUTH_APP_DOMAIN=myapp.genauth.ai` the app talks
//! to that real tenant and no local tenant is started.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

use crate::{pkg, root, tools, Result};

/// Starts `cmd`, waits for its first stdout line to start with `prefix`, and
/// returns the child and the URL after the prefix; later lines are echoed.
fn start(cmd: &mut Command, prefix: &str) -> Result<(Child, String)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let Some(url) = first.strip_prefix(prefix) else {
        let _ = child.kill();
        return Err(format!("{cmd:?} printed {first:?}"));
    };
    let url = url.trim().to_string();
    std::thread::spawn(move || {
        for line in lines.map_while(|l| l.ok()) {
            println!("  {line}");
        }
    });
    Ok((child, url))
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// `cargo xtask demo`.
pub fn run() -> Result {
    let root = root();
    tools::ensure_build_tools()?;
    pkg::build()?;
    let app_dir = root.join("target/demo-app");
    let _ = std::fs::remove_dir_all(&app_dir);
    std::fs::create_dir_all(&app_dir).map_err(|e| e.to_string())?;
    std::fs::write(
        app_dir.join("package.json"),
        "{ \"name\": \"demo-app\", \"private\": true }\n",
    )
    .map_err(|e| e.to_string())?;
    crate::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--offline"])
            .arg(root.join("target/pkg/genauth-logout.tgz"))
            .current_dir(&app_dir),
    )?;
    let pkg_dir = app_dir.join("node_modules/genauth-logout");

    let port = match std::env::var("DEMO_PORT") {
        Ok(p) => p.parse().map_err(|_| "DEMO_PORT must be a port number")?,
        Err(_) => free_port()?,
    };
    let app = format!("http://127.0.0.1:{port}");
    let real_tenant = std::env::var("GENAUTH_APP_DOMAIN")
        .ok()
        .filter(|d| !d.is_empty());
    let mut children = Vec::new();
    let tenant = match &real_tenant {
        Some(domain) => domain.clone(),
        None => {
            crate::run(
                Command::new("cargo")
                    .args(["build", "--quiet", "-p", "genauth-emulator"])
                    .current_dir(&root),
            )?;
            let (child, url) = start(
                Command::new(root.join("target/debug/genauth-emulator"))
                    .args(["--host", "127.0.0.1", "--port", "0", "--app-origin", &app])
                    .args(["--redirect-uri", &format!("{app}/")])
                    .args(["--redirect-uri", &format!("{app}/signed-out.html")]),
                "genauth-emulator listening on ",
            )?;
            children.push(child);
            url
        }
    };
    let (child, app_url) = start(
        Command::new("node")
            .arg(root.join("www/serve.mjs"))
            .arg("--pkg-dir")
            .arg(&pkg_dir)
            .args([
                "--tenant",
                &tenant,
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ]),
        "genauth-demo listening on ",
    )?;
    children.push(child);

    println!();
    println!("  demo app:       {app_url}/");
    match &real_tenant {
        Some(domain) => println!("  GenAuth tenant: {domain} (GENAUTH_APP_DOMAIN; register {app_url}/ as a logout redirect URI there)"),
        None => {
            println!("  local tenant:   {tenant}  (users: alice/alice, bob/bob)");
            println!("  personal center: {tenant}/u");
        }
    }
    println!("\n  Open the demo app, sign in, choose where to land, and press Logout. Ctrl-C stops both servers.\n");
    // Ctrl-C reaches the whole process group, children included; wait for them.
    for mut child in children {
        let _ = child.wait();
    }
    Ok(())
}
