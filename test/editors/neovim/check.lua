-- Headless Neovim check of the Policy Handshake server (Neovim 0.7+ built-in LSP client).
-- Opens PH_FILE, attaches the server started as `node PH_SERVER --stdio` with PH_ROOT as root,
-- waits for diagnostics, asks for document symbols, and writes both as JSON to PH_OUT.
-- Exits with `cquit 1` (after writing {"error": …}) when anything fails.
-- Run: nvim --headless --clean -n -i NONE -c "luafile check.lua"

local server = os.getenv('PH_SERVER')
local root = os.getenv('PH_ROOT')
local file = os.getenv('PH_FILE')
local out = os.getenv('PH_OUT')
local timeout = tonumber(os.getenv('PH_TIMEOUT_MS') or '20000')

local function write(value)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(value))
  f:close()
end

local function fail(message)
  pcall(write, { error = message })
  vim.cmd('cquit 1')
end

local ok, err = pcall(function()
  if not (server and root and file and out) then
    error('PH_SERVER, PH_ROOT, PH_FILE and PH_OUT must be set')
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(buf, 'filetype', 'json')

  local client_id = vim.lsp.start_client({
    name = 'policy-handshake',
    -- The README's command for other editors (the flags the VS Code client starts the server with).
    cmd = { 'node', '--max-semi-space-size=8', server, '--stdio' },
    root_dir = root,
    settings = { policyHandshake = { checks = { ['principal-missing'] = 'warning' } } },
    -- Neovim 0.7 does not offer workspace/configuration; settings are pushed, as nvim-lspconfig does.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  })
  if not client_id then error('vim.lsp.start_client failed') end
  if not vim.lsp.buf_attach_client(buf, client_id) then error('vim.lsp.buf_attach_client failed') end

  -- The settings are pushed after initialization, so the first diagnostics may still carry
  -- the default severity (the server publishes again when the settings arrive): wait for
  -- principal-missing at the configured severity.
  local function configured()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or {}
      if (d.code or lsp.code) == 'principal-missing' and d.severity == vim.diagnostic.severity.WARN then return true end
    end
    return false
  end
  local got = vim.wait(timeout, configured, 20)
  if not got then
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(seen, tostring(d.code) .. '@' .. tostring(d.severity)) end
    error('no principal-missing diagnostic at the configured severity (WARN) within ' .. timeout .. ' ms; last seen: ' .. table.concat(seen, ', '))
  end

  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(diagnostics, {
      code = d.code or lsp.code,
      source = d.source,
      severity = d.severity,
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    })
  end

  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/documentSymbol', params, timeout)
  local symbols = responses and responses[client_id] and responses[client_id].result or vim.NIL

  write({ diagnostics = diagnostics, symbols = symbols })
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end)

if not ok then fail(tostring(err)) end
vim.cmd('qall!')
