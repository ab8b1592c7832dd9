//! Command-line options.

use crate::config::{ConfigError, TenantConfig};

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
usage: genauth-emulator [--host 127.0.0.1] [--port 0] [--config path.json]
                        [--redirect-uri URL]... [--app-origin ORIGIN]...

A local GenAuth tenant for the genauth-logout demo and tests. It prints
`genauth-emulator listening on http://HOST:PORT` first, then one line per
request. --redirect-uri and --app-origin add to the first app of the config
(app-demo by default), so a test can register its own port without a file.";

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Address to bind (default `127.0.0.1`).
    pub host: String,
    /// Port to bind; 0 lets the OS pick (default).
    pub port: u16,
    /// JSON configuration file.
    pub config_path: Option<String>,
    /// Extra logout redirect URIs for the first app.
    pub redirect_uris: Vec<String>,
    /// Extra app origins for the first app.
    pub app_origins: Vec<String>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run the server.
    Serve(Options),
    /// Print usage and exit.
    Help,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 0,
            config_path: None,
            redirect_uris: Vec::new(),
            app_origins: Vec::new(),
        }
    }
}

impl Options {
    /// Parses arguments (without the program name). Accepts `--flag value` and `--flag=value`.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
        let mut opts = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            if flag == "--help" || flag == "-h" {
                return Ok(Command::Help);
            }
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--host" => opts.host = value()?,
                "--port" => {
                    let v = value()?;
                    opts.port = v
                        .parse()
                        .map_err(|_| format!("--port {v:?} is not a port number"))?;
                }
                "--config" => opts.config_path = Some(value()?),
                "--redirect-uri" => opts.redirect_uris.push(value()?),
                "--app-origin" => opts.app_origins.push(value()?),
                _ => return Err(format!("unknown argument {arg:?}")),
            }
        }
        Ok(Command::Serve(opts))
    }

    /// Loads the configuration file (or defaults) and applies the extra flags.
    pub fn tenant_config(&self) -> Result<TenantConfig, ConfigError> {
        let mut config = match &self.config_path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError(format!("cannot read {path}: {e}")))?;
                TenantConfig::from_json(&text).map_err(|e| ConfigError(format!("{path}: {e}")))?
            }
            None => TenantConfig::default(),
        };
        for uri in &self.redirect_uris {
            config.add_redirect_uri(uri)?;
        }
        for origin in &self.app_origins {
            config.add_app_origin(origin)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        Options::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_means_defaults() {
        assert_eq!(parse(&[]), Ok(Command::Serve(Options::default())));
    }

    #[test]
    fn parses_all_flags() {
        let Ok(Command::Serve(o)) = parse(&[
            "--host",
            "::1",
            "--port=8080",
            "--config",
            "c.json",
            "--redirect-uri",
            "http://a/",
            "--redirect-uri=http://b/",
            "--app-origin",
            "http://a",
        ]) else {
            panic!("should parse");
        };
        assert_eq!(o.host, "::1");
        assert_eq!(o.port, 8080);
        assert_eq!(o.config_path.as_deref(), Some("c.json"));
        assert_eq!(o.redirect_uris, vec!["http://a/", "http://b/"]);
        assert_eq!(o.app_origins, vec!["http://a"]);
    }

    #[test]
    fn refuses_bad_flags() {
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }
}
