fn main() {
    use kithkin::engine::note::*;
    println!("Item {}", std::mem::size_of::<Item>());
    println!("Link {}", std::mem::size_of::<Link>());
    println!("Note {}", std::mem::size_of::<Note>());
    println!("FrontMatter {}", std::mem::size_of::<FrontMatter>());
    println!("KeyEntry {}", std::mem::size_of::<KeyEntry>());
    println!("KindTag {}", std::mem::size_of::<KindTag>());
    println!("Finding {}", std::mem::size_of::<kithkin::engine::Finding>());
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let found = kithkin::io::find_root(&root).unwrap();
    let config = kithkin::io::load_config(&found).unwrap();
    let (vault, _) = kithkin::io::load_vault(&found.root, config);
    let (mut text, mut items, mut links, mut lines, mut keys, mut kinds, mut heads, mut probs) =
        (0, 0, 0, 0, 0, 0, 0, 0);
    for (_, n) in vault.notes() {
        text += n.text.len();
        items += n.items.len();
        links += n.links.len();
        lines += n.lines.line_count();
        keys += n.front.keys.len();
        kinds += n.items.iter().map(|i| i.kinds.len()).sum::<usize>();
        heads += n.headings.len();
        probs += n.problems.len();
    }
    println!(
        "notes {} text {text} items {items} links {links} lines {lines} keys {keys} kinds {kinds} headings {heads} problems {probs}",
        vault.len()
    );
}
