--- kith language server for Neovim 0.11+: relationship findings, `[[`
--- completion, hover and quick fixes in Markdown contact notes.
---
--- With `editors/nvim` on the runtimepath, this is all it takes:
---
--- ```lua
--- vim.lsp.enable('kith')
--- ```
---
--- Install the server with `cargo install kithkin`. To fix "today" (demos,
--- reproducible reviews), extend this config:
---
--- ```lua
--- vim.lsp.config('kith', { init_options = { today = '2026-12-01' } })
--- ```
---@type vim.lsp.Config
return {
  cmd = { 'kith', 'lsp' },
  filetypes = { 'markdown' },
  -- In priority order: a kith vault, then an Obsidian vault, then a repo.
  root_markers = { 'kith.toml', '.obsidian', '.git' },
  on_attach = function(client, bufnr)
    require('kith').on_attach(client, bufnr)
  end,
}
