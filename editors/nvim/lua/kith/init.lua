--- kith for Neovim: the agenda command and, for Neovim 0.8-0.10, a setup()
--- that starts `kith lsp` for Markdown buffers.
---
--- On Neovim 0.11+ the server config lives in `lsp/kith.lua` and all a user
--- does is `vim.lsp.enable('kith')`; this module is what that config calls
--- for its `:KithAgenda` command, and the fallback for older versions.
local M = {}

local has_011 = vim.fn.has('nvim-0.11') == 1

--- The server config shared by `lsp/kith.lua` and `setup()`.
M.defaults = {
  cmd = { 'kith', 'lsp' },
  filetypes = { 'markdown' },
  -- In priority order: a kith vault, then an Obsidian vault, then a repo.
  root_markers = { 'kith.toml', '.obsidian', '.git' },
}

local function get_clients(filter)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  -- Neovim 0.8-0.9.
  return vim.lsp.get_active_clients(filter) ---@diagnostic disable-line: deprecated
end

--- Sends a request through `client`; Neovim 0.11 made client functions methods.
local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- The kith client attached to `bufnr` (default: current buffer), or any kith
--- client, so that `:KithAgenda` also works from a non-Markdown buffer.
local function kith_client(bufnr)
  return get_clients({ name = 'kith', bufnr = bufnr or 0 })[1] or get_clients({ name = 'kith' })[1]
end

--- The byte column (quickfix lists count bytes) of the `col`th character of
--- line `lnum` in `path`; the character column itself if the file can't be read.
local function byte_col(path, lnum, col)
  if col <= 1 then
    return 1
  end
  local ok, lines = pcall(vim.fn.readfile, path, '', lnum)
  local line = ok and lines[lnum]
  if not line then
    return col
  end
  local index = vim.fn.byteidx(line, col - 1)
  return index >= 0 and index + 1 or col
end

--- Turns the `kith.agenda` answer into quickfix items, grouped by person:
--- people ordered by their most urgent gesture, then by name; each person's
--- items by due date (undated last), then by place.
---@param items table[] `{ contact, path, line, rule, due, message }`
---@param root string the vault root that `path` is relative to
---@return table[] quickfix items
function M.agenda_to_qf(items, root)
  local first_due = {}
  for _, item in ipairs(items) do
    local due = type(item.due) == 'string' and item.due or nil
    if due and (first_due[item.contact] == nil or due < first_due[item.contact]) then
      first_due[item.contact] = due
    end
  end
  -- '~' sorts after every digit, so undated items go last.
  local function key(due)
    return type(due) == 'string' and due or '~'
  end
  local sorted = vim.deepcopy(items)
  table.sort(sorted, function(a, b)
    local ka, kb = key(first_due[a.contact]), key(first_due[b.contact])
    if ka ~= kb then
      return ka < kb
    end
    if a.contact ~= b.contact then
      return a.contact < b.contact
    end
    if key(a.due) ~= key(b.due) then
      return key(a.due) < key(b.due)
    end
    if a.path ~= b.path then
      return a.path < b.path
    end
    return (a.line or 1) < (b.line or 1)
  end)

  local qf = {}
  for _, item in ipairs(sorted) do
    local path = item.path
    if not path:match('^/') and not path:match('^%a:[\\/]') then
      path = root .. '/' .. path
    end
    -- "Jana Müller: say thanks for “the intro” (received 6 days ago)
    -- [missing-thanks]"; older servers send only the full message.
    local what = item.action or item.message or item.rule
    local why = item.reason or (type(item.due) == 'string' and ('due ' .. item.due)) or nil
    table.insert(qf, {
      filename = path,
      lnum = item.line or 1,
      col = byte_col(path, item.line or 1, item.column or 1),
      text = ('%s: %s%s [%s]'):format(item.contact, what, why and (' (' .. why .. ')') or '', item.rule),
      type = item.level == 'warning' and 'W' or item.level == 'error' and 'E' or 'I',
    })
  end
  return qf
end

--- Runs the server's `kith.agenda` command and shows the gestures due in the
--- quickfix list.
---@param opts? { open?: boolean, on_done?: fun(items: table[]) } `open` (default true) opens the quickfix window
function M.agenda(opts)
  opts = opts or {}
  local client = kith_client()
  if not client then
    vim.notify('kith: no kith language server is running (open a note in a vault first)', vim.log.levels.WARN)
    return
  end
  local params = { command = 'kith.agenda', arguments = {} }
  request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify('kith: agenda failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local root = client.root_dir or (client.config and client.config.root_dir) or vim.fn.getcwd()
    local items = M.agenda_to_qf(type(result) == 'table' and result or {}, root)
    vim.fn.setqflist({}, ' ', { title = 'kith agenda', items = items })
    if #items == 0 then
      vim.notify('kith: nothing is due', vim.log.levels.INFO)
    elseif opts.open ~= false then
      vim.cmd('botright copen')
    end
    if opts.on_done then
      opts.on_done(items)
    end
  end)
end

--- Buffer commands for a buffer kith attaches to; used as `on_attach`.
function M.on_attach(_, bufnr)
  vim.api.nvim_buf_create_user_command(bufnr, 'KithAgenda', function()
    M.agenda()
  end, { desc = 'kith: show the gestures due in the quickfix list' })
end

local function find_root(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  local start = vim.fs.dirname(name)
  for _, marker in ipairs(markers) do
    local found = vim.fs.find(marker, { path = start, upward = true })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  -- A note outside any vault: its own folder, so that links to its
  -- neighbours still resolve.
  return start
end

--- Starts `kith lsp` for Markdown buffers on Neovim 0.8-0.10 (it works on
--- 0.11 too, but there `vim.lsp.enable('kith')` is the way).
---@param opts? { cmd?: string[], filetypes?: string[], root_markers?: string[], init_options?: table, on_attach?: fun(client, bufnr), capabilities?: table }
function M.setup(opts)
  opts = vim.tbl_extend('force', M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup('kith', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      if vim.bo[args.buf].buftype ~= '' then
        return
      end
      vim.lsp.start({
        name = 'kith',
        cmd = opts.cmd,
        root_dir = find_root(args.buf, opts.root_markers),
        init_options = opts.init_options,
        capabilities = opts.capabilities,
        on_attach = function(client, bufnr)
          M.on_attach(client, bufnr)
          if opts.on_attach then
            opts.on_attach(client, bufnr)
          end
        end,
      }, { bufnr = args.buf })
    end,
  })
end

return M
