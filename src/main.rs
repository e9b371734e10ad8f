use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    meeting_reports::cli::run(meeting_reports::config::Cli::parse()).await
}
