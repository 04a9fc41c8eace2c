-- Drives kith's language server from a real, headless Neovim as a user's
-- config would. Run by run.sh:
--
--   nvim --headless -u NONE -i NONE -n -l lsp_test.lua MODE VAULT KITH_BIN PLUGIN_DIR
--
-- MODE is `enable` (Neovim 0.11+: lsp/kith.lua and vim.lsp.enable) or
-- `setup` (the 0.8-0.10 fallback, require('kith').setup()). Prints one line
-- per check and `result: PASSED FAILED` for run.sh to add up; exits 1 when a
-- check failed.

local mode, vault, kith_bin, plugin_dir = arg[1], arg[2], arg[3], arg[4]
assert(mode and vault and kith_bin and plugin_dir, 'usage: lsp_test.lua MODE VAULT KITH_BIN PLUGIN_DIR')

-- The first diagnostics need the vault indexed; generous for a debug build
-- on a busy CI machine, and the checks return as soon as the answer is in.
local TIMEOUT = 20000

vim.opt.runtimepath:prepend(plugin_dir)
vim.cmd('filetype on')
-- Quieter: no swap files, no prompts when a buffer is changed but unsaved.
vim.o.swapfile = false
vim.o.hidden = true

if mode == 'enable' then
  -- What a 0.11 user writes: only the executable differs from lsp/kith.lua.
  vim.lsp.config('kith', { cmd = { kith_bin, 'lsp' } })
  vim.lsp.enable('kith')
elseif mode == 'setup' then
  -- This run fixes the date through initializationOptions, not KITH_TODAY.
  require('kith').setup({ cmd = { kith_bin, 'lsp' }, init_options = { today = '2026-12-01' } })
else
  error('unknown mode ' .. mode)
end

local passed, failed = 0, 0

local function check(name, body)
  local ok, err = pcall(body)
  if ok then
    passed = passed + 1
    print(('ok - %s: %s'):format(mode, name))
  else
    failed = failed + 1
    print(('FAIL - %s: %s\n    %s'):format(mode, name, tostring(err):gsub('\n', '\n    ')))
  end
end

local function open(relpath)
  vim.cmd.edit(vim.fn.fnameescape(vault .. '/' .. relpath))
  return vim.api.nvim_get_current_buf()
end

-- Set once the server failed to attach, so that later checks fail at once
-- instead of each waiting out the timeout.
local no_server = false

local function kith_client(bufnr)
  assert(not no_server, 'no kith server (see the first failure)')
  local client
  vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ name = 'kith', bufnr = bufnr })[1]
    return client ~= nil and client.initialized
  end, 20)
  if not (client and client.initialized) then
    no_server = true
    error('no kith client attached to ' .. vim.api.nvim_buf_get_name(bufnr))
  end
  return client
end

local function kith_diagnostics(bufnr)
  return vim.tbl_filter(function(d)
    return d.source == 'kith'
  end, vim.diagnostic.get(bufnr))
end

local function lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

if mode == 'enable' then
  check('the agenda is grouped by person, most urgent first', function()
    local qf = require('kith').agenda_to_qf({
      { contact = 'Max', path = 'm.md', line = 2, rule = 'overdue-touch', due = '2026-11-30', message = 'm1' },
      { contact = 'Jana', path = 'j.md', line = 9, rule = 'missing-thanks', due = '2026-11-24', message = 'j1' },
      { contact = 'Max', path = 'm.md', line = 5, rule = 'follow-up-due', due = '2026-11-01', message = 'm2' },
      { contact = 'Ada', path = '/abs/a.md', line = 1, rule = 'vague-ask', message = 'a1' },
    }, '/vault')
    local got = vim.tbl_map(function(item)
      return item.filename .. ':' .. item.lnum
    end, qf)
    local want = { '/vault/m.md:5', '/vault/m.md:2', '/vault/j.md:9', '/abs/a.md:1' }
    assert(vim.deep_equal(got, want), 'order: ' .. table.concat(got, ', '))
    assert(qf[1].text == 'Max: m2 (due 2026-11-01) [follow-up-due]', qf[1].text)
  end)
end

-- The note with a #got of 2026-11-20 and no #thanks, read on 2026-12-01.
local jana = open('people/Jana Müller.md')
local thanks_diagnostic

check('diagnostics: missing-thanks on the #got entry', function()
  local client = kith_client(jana)
  assert(client.config.root_dir == vault, ('root_dir is %s, expected the vault %s'):format(client.config.root_dir, vault))
  local found = vim.wait(TIMEOUT, function()
    for _, d in ipairs(kith_diagnostics(jana)) do
      if d.code == 'missing-thanks' then
        thanks_diagnostic = d
        return true
      end
    end
    return false
  end, 50)
  assert(found, 'no missing-thanks diagnostic; kith sent: ' .. vim.inspect(kith_diagnostics(jana)))
  local line = lines(jana)[thanks_diagnostic.lnum + 1]
  assert(line:find('#got', 1, true), 'missing-thanks is on line ' .. (thanks_diagnostic.lnum + 1) .. ': ' .. line)
end)

check('hover on a [[link]] shows the contact', function()
  local client = kith_client(jana)
  local row = thanks_diagnostic and thanks_diagnostic.lnum or 13
  local line = lines(jana)[row + 1]
  local col = assert(line:find('[[Max', 1, true), 'no [[Max link on line ' .. (row + 1)) + 2
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(jana) },
    -- ASCII up to the link, so bytes and UTF-16 columns agree.
    position = { line = row, character = col },
  }
  local responses = vim.lsp.buf_request_sync(jana, 'textDocument/hover', params, TIMEOUT)
  local response = responses and responses[client.id]
  assert(response and not response.err, 'hover failed: ' .. vim.inspect(response))
  local contents = response.result and response.result.contents
  local text = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  assert(text:find('Max Mustermann', 1, true), 'hover shows: ' .. text)
end)

check('completion after [[ offers a contact', function()
  local bufnr = open('people/Lena Schmidt.md')
  local client = kith_client(bufnr)
  local text = '- 2026-12-01 #met [['
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { text })
  local row = vim.api.nvim_buf_line_count(bufnr) - 1
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    -- The line is ASCII, so bytes, UTF-16 and UTF-32 columns agree.
    position = { line = row, character = #text },
    context = { triggerKind = 2, triggerCharacter = '[' },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, TIMEOUT)
  local response = responses and responses[client.id]
  assert(response, 'no answer to textDocument/completion')
  assert(not response.err, 'completion failed: ' .. vim.inspect(response.err))
  local result = response.result or {}
  local items = result.items or result
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  local offered = table.concat(labels, ', ')
  for _, name in ipairs({ 'Jana Müller', 'Max Mustermann' }) do
    assert(offered:find(name, 1, true), ('%s not offered; got: %s'):format(name, offered))
  end
end)

check(':KithAgenda lists the gesture due in the quickfix list', function()
  vim.api.nvim_set_current_buf(jana)
  assert(vim.fn.exists(':KithAgenda') == 2, ':KithAgenda is not defined in a kith buffer')
  vim.fn.setqflist({}, 'r', { title = '', items = {} })
  vim.cmd('KithAgenda')
  local list
  vim.wait(TIMEOUT, function()
    list = vim.fn.getqflist({ title = 1, items = 1 })
    return list.title == 'kith agenda'
  end, 20)
  assert(list.title == 'kith agenda', 'the agenda never arrived')
  local texts = {}
  for _, item in ipairs(list.items) do
    local name = vim.api.nvim_buf_get_name(item.bufnr)
    table.insert(texts, ('%s:%d %s'):format(name, item.lnum, item.text))
    if item.text:find('Jana Müller', 1, true) and item.text:find('missing-thanks', 1, true) then
      assert(name:sub(-#'people/Jana Müller.md') == 'people/Jana Müller.md', 'points at ' .. name)
      assert(item.lnum == thanks_diagnostic.lnum + 1, 'points at line ' .. item.lnum)
      print('    # ' .. item.text)
      return
    end
  end
  error('no missing-thanks item for Jana Müller in:\n' .. table.concat(texts, '\n'))
end)

check('the quick fix for missing-thanks adds a #thanks entry and clears the finding', function()
  assert(thanks_diagnostic, 'no missing-thanks diagnostic to act on')
  vim.api.nvim_set_current_buf(jana)
  local client = kith_client(jana)
  local before = lines(jana)
  local lsp_diagnostic = thanks_diagnostic.user_data and thanks_diagnostic.user_data.lsp
  local range = lsp_diagnostic and lsp_diagnostic.range
    or {
      start = { line = thanks_diagnostic.lnum, character = 0 },
      ['end'] = { line = thanks_diagnostic.end_lnum or thanks_diagnostic.lnum, character = 0 },
    }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(jana) },
    range = range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(jana, 'textDocument/codeAction', params, TIMEOUT)
  local response = responses and responses[client.id]
  assert(response and not response.err, 'codeAction failed: ' .. vim.inspect(response))
  local actions = response.result or {}
  local titles = vim.tbl_map(function(a)
    return a.title
  end, actions)

  -- Prefer the action that says what it does: thanking.
  local action
  for _, a in ipairs(actions) do
    if a.title:lower():find('thank') then
      action = a
      break
    end
  end
  action = action or actions[1]
  assert(action, 'no code action offered')

  if not action.edit and not action.command and client:supports_method('codeAction/resolve') then
    local resolved = client:request_sync('codeAction/resolve', action, TIMEOUT, jana)
    assert(resolved and not resolved.err, 'codeAction/resolve failed: ' .. vim.inspect(resolved))
    action = resolved.result
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  -- A CodeAction may carry a Command; a bare Command has a string `command`.
  local command = type(action.command) == 'table' and action.command
    or (type(action.command) == 'string' and action)
    or nil
  if command then
    -- The server answers a command by sending workspace/applyEdit, which
    -- Neovim applies to the buffer.
    local done = client:request_sync('workspace/executeCommand', command, TIMEOUT, jana)
    assert(done and not done.err, 'executeCommand failed: ' .. vim.inspect(done))
  end

  local after = lines(jana)
  local thanks_before = #vim.tbl_filter(function(l)
    return l:find('#thanks', 1, true) ~= nil
  end, before)
  local added
  vim.wait(TIMEOUT, function()
    after = lines(jana)
    added = vim.tbl_filter(function(l)
      return l:find('#thanks', 1, true) ~= nil
    end, after)
    return #added > thanks_before
  end, 20)
  assert(
    #added > thanks_before,
    ('"%s" added no #thanks line (offered: %s); buffer now:\n%s'):format(
      action.title,
      table.concat(titles, ' | '),
      table.concat(after, '\n')
    )
  )
  assert(#after > #before, 'the #thanks entry should be a new line, not a rewrite of one')
  print(('    # %s -> %s'):format(action.title, added[#added]))

  -- The fix fixes it: the server sees the edit and drops the finding.
  local gone = vim.wait(TIMEOUT, function()
    for _, d in ipairs(kith_diagnostics(jana)) do
      if d.code == 'missing-thanks' then
        return false
      end
    end
    return true
  end, 50)
  assert(gone, 'missing-thanks is still reported after the fix')
end)

-- Shut the server down the way an editor does (shutdown, exit) and wait,
-- so that a server that hangs on exit fails the run instead of lingering.
local clients = vim.lsp.get_clients({ name = 'kith' })
for _, client in ipairs(clients) do
  client:stop()
end
local stopped = vim.wait(5000, function()
  for _, client in ipairs(clients) do
    if not client:is_stopped() then
      return false
    end
  end
  return true
end, 20)
check('the server exits on shutdown', function()
  assert(#clients > 0, 'no kith client was running')
  assert(stopped, 'kith lsp did not exit within 5 s of shutdown/exit')
end)

print(('result: %d %d'):format(passed, failed))
if failed > 0 then
  os.exit(1)
end
