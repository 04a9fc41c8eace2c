fn main() -> std::process::ExitCode {
    kithkin::cli::main()
}
