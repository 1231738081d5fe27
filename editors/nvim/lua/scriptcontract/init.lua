-- scriptcontract for Neovim 0.11+: contract diagnostics, fixes and "Run with inputs" for
-- JSON-in/JSON-out Python workflow scripts.
local M = {}

---@class scriptcontract.Options
---@field cmd? string[]      how to start the server (default: { "scriptcontract", "serve" })
---@field settings? table    server settings: lint = { enabled, run = "onType"|"onSave" },
---                          run = { timeoutMs, python, mode }, severity = {...}, logLevel
---@field result? "split"|"notify"  where a run's full result goes (default "split")
---@field enable? boolean    call vim.lsp.enable("scriptcontract") (default true)

---@type { result: "split"|"notify" }
M.config = { result = "split" }

--- Configures the server and enables it for Python buffers.
---@param opts? scriptcontract.Options
function M.setup(opts)
  opts = opts or {}
  vim.validate("cmd", opts.cmd, "table", true)
  vim.validate("settings", opts.settings, "table", true)
  vim.validate("result", opts.result, function(value)
    return value == nil or value == "split" or value == "notify"
  end, true, '"split" or "notify"')
  M.config.result = opts.result or M.config.result
  local overrides = {}
  if opts.cmd then
    overrides.cmd = opts.cmd
  end
  if opts.settings then
    overrides.settings = { scriptcontract = opts.settings }
  end
  if next(overrides) then
    vim.lsp.config("scriptcontract", overrides)
  end
  if opts.enable ~= false then
    vim.lsp.enable("scriptcontract")
  end
end

return M
