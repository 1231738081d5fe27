-- "Use .venv/bin/python for runs": the server's quick fix on a run that missed a module the
-- project's environment has. The server only offers it (a run never picks its interpreter by
-- itself); the user's choice sets run.python in this client's settings for the session, and the
-- message says how to keep it.
local M = {}

local function notify(message, level)
  require("scriptcontract.run").notify(message, level)
end

--- Whether `python` is what the server offers: an environment at the project's top, relative
--- to the project root as run.python is (an absolute path, `~` or `..` names one elsewhere).
---@param python any
---@return boolean
function M.in_project(python)
  if type(python) ~= "string" or not python:find("/", 1, true) then
    return false
  end
  for part in (python .. "/"):gmatch("([^/]*)/") do
    if part == "" or part == "." or part == ".." or part:sub(1, 1) == "~" then
      return false
    end
  end
  return true
end

--- The client-side handler of scriptcontract.usePython (see lsp/scriptcontract.lua).
---@param command lsp.Command
---@param ctx table
function M.from_command(command, ctx)
  local argument = (command.arguments or {})[1]
  local python = type(argument) == "table" and argument.python or nil
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not M.in_project(python) or client == nil then
    notify("the quick fix named no interpreter of the project to use", vim.log.levels.ERROR)
    return
  end
  -- The client answers the server's workspace/configuration from client.settings.
  client.settings = vim.tbl_deep_extend("force", client.settings or {}, {
    scriptcontract = { run = { python = python } },
  })
  client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  -- One line that fits: docs/editors/neovim.md says how to keep it.
  notify(string.format("runs use %s until Neovim exits (settings.run.python keeps it): run again", python))
end

return M
