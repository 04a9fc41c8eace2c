// kith allocates many small strings and vectors while parsing a vault on
// all cores; mimalloc is markedly faster than glibc's allocator at that
// (see "Performance" in ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kithkin::cli::main()
}
