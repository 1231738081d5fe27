-- The language server itself: :ScriptContractRestart and :ScriptContractLog (VS Code's Restart
-- Server and Show Server Log). Neovim 0.11 has neither :LspRestart nor :LspLog without
-- nvim-lspconfig, which the plugin does not need.
local M = {}

local NAME = "scriptcontract"
-- How long a server is given to stop by itself before it is killed.
local STOP_MS = 3000
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

--- :ScriptContractRestart: stops the scriptcontract servers (their runs end with them) and
--- starts them again for the open buffers, as `vim.lsp.enable` starts them. `on_done` gets the
--- new clients.
---@param on_done? fun(clients: vim.lsp.Client[])
function M.restart(on_done)
  local old = vim.lsp.get_clients({ name = NAME })
  local function start()
    -- Starts a client for every open buffer it is for (vim.lsp.enable does that at once).
    vim.lsp.enable(NAME)
    local clients = vim.lsp.get_clients({ name = NAME })
    if #clients == 0 then
      notify("no buffer the language server is for is open: it starts with the next script", vim.log.levels.WARN)
    else
      notify("the language server restarted")
    end
    if on_done then
      on_done(clients)
    end
  end
  if #old == 0 then
    return start()
  end
  notify("restarting the language server…")
  for _, client in ipairs(old) do
    client:stop()
  end
  local waited = 0
  local timer = assert(vim.uv.new_timer())
  timer:start(POLL_MS, POLL_MS, vim.schedule_wrap(function()
    waited = waited + POLL_MS
    if not all_stopped(old) and waited < STOP_MS then
      return
    end
    timer:stop()
    timer:close()
    for _, client in ipairs(old) do
      if not client:is_stopped() then
        client:stop(true) -- it did not stop when asked: killed
      end
    end
    start()
  end))
end

--- :ScriptContractLog: Neovim's LSP log, where the server's messages are whole (a message is
--- cut to one line), in a new tab page.
function M.log()
  vim.cmd.tabnew(vim.fn.fnameescape(vim.lsp.get_log_path()))
end

return M
