-- The language server itself: :ScriptContractRestart and :ScriptContractLog (VS Code's Restart
-- Server and Show Server Log). Neovim 0.11 has neither :LspRestart nor :LspLog without
-- nvim-lspconfig, which the plugin does not need.
local M = {}

local NAME = "scriptcontract"
-- How long a server is given to stop by itself before it is killed.
local STOP_MS = 3000
-- How long the new servers are given to start and attach.
local START_MS = 20000
local POLL_MS = 50

local function notify(message, level)
  require("scriptcontract.run").notify(message, level)
end

--- Whether every client of `clients` has stopped.
---@param clients vim.lsp.Client[]
---@return boolean
local function all_stopped(clients)
  for _, client in ipairs(clients) do
    if not client:is_stopped() then
      return false
    end
  end
  return true
end

--- Calls `done()` every POLL_MS until it returns true, or once more at `limit_ms` with `last`
--- true.
---@param limit_ms integer
---@param done fun(last: boolean): boolean
local function poll(limit_ms, done)
  local waited = 0
  local timer = assert(vim.uv.new_timer())
  timer:start(POLL_MS, POLL_MS, vim.schedule_wrap(function()
    waited = waited + POLL_MS
    if timer:is_closing() then
      return
    end
    if done(waited >= limit_ms) or waited >= limit_ms then
      timer:stop()
      timer:close()
    end
  end))
end

--- The open buffers `clients` are attached to.
---@param clients vim.lsp.Client[]
---@return integer[]
local function buffers_of(clients)
  local buffers = {}
  for _, client in ipairs(clients) do
    for bufnr in pairs(client.attached_buffers or {}) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        buffers[bufnr] = true
      end
    end
  end
  return vim.tbl_keys(buffers)
end

--- Whether each of `buffers` has a scriptcontract client that is running.
---@param buffers integer[]
---@return boolean
local function all_attached(buffers)
  for _, bufnr in ipairs(buffers) do
    local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
    if client == nil or client:is_stopped() then
      return false
    end
  end
  return true
end

--- :ScriptContractRestart: stops the scriptcontract servers (their runs end with them) and
--- starts them again for the open buffers, as `vim.lsp.enable` starts them. `on_done` gets
--- whether every buffer they were attached to has a server again.
---@param on_done? fun(restarted: boolean)
function M.restart(on_done)
  local old = vim.lsp.get_clients({ name = NAME })
  local buffers = buffers_of(old)
  local function start()
    -- Starts a client for every open buffer it is for (the start itself comes a moment later).
    vim.lsp.enable(NAME)
    if #buffers == 0 then
      notify("the language server starts with the next script you open")
      if on_done then
        on_done(true)
      end
      return
    end
    poll(START_MS, function(last)
      local attached = all_attached(buffers)
      if attached then
        notify("the language server restarted")
      elseif last then
        notify("the language server did not start again (:checkhealth vim.lsp says why)", vim.log.levels.ERROR)
      end
      if (attached or last) and on_done then
        on_done(attached)
      end
      return attached
    end)
  end
  if #old == 0 then
    return start()
  end
  notify("restarting the language server…")
  for _, client in ipairs(old) do
    client:stop()
  end
  poll(STOP_MS, function(last)
    if not all_stopped(old) and not last then
      return false
    end
    for _, client in ipairs(old) do
      if not client:is_stopped() then
        client:stop(true) -- it did not stop when asked: killed
      end
    end
    start()
    return true
  end)
end

--- :ScriptContractLog: Neovim's LSP log, where the server's messages are whole (a message is
--- cut to one line), in a new tab page.
function M.log()
  vim.cmd.tabnew(vim.fn.fnameescape(vim.lsp.get_log_path()))
end

return M
