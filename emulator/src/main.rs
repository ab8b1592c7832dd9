//! `genauth-emulator`: run the local GenAuth tenant (see the library docs).

use genauth_emulator::{cli, serve, server, Command, Options, Tenant};
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(Command::Serve(opts)) => opts,
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("genauth-emulator: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let config = match opts.tenant_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("genauth-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind((opts.host.as_str(), opts.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "genauth-emulator: cannot listen on {}:{}: {e}",
                opts.host, opts.port
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("genauth-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    server::log(&format!("genauth-emulator listening on http://{addr}"));
    match serve(listener, Arc::new(Tenant::new(config))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genauth-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
