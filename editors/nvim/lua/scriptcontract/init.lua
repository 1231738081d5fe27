-- scriptcontract for Neovim 0.11+: contract diagnostics, fixes and "Run with inputs" for
-- JSON-in/JSON-out Python workflow scripts.
local M = {}

---@class scriptcontract.Options
---@field cmd? string[]      how to start the server (default: { "scriptcontract", "serve" })
---@field settings? table    server settings: lint = { enabled, run = "onType"|"onSave" },
---                          run = { timeoutMs, python, mode }, severity = {...}, logLevel
---@field result? "split"|"notify"  where a run's full result goes (default "split")
---@field enable? boolean    call vim.lsp.enable("scriptcontract") (default true)
---@field codelens? boolean  keep the code lenses up to date (default true)
---@field inline_result? boolean  a success's outcome beside the entry line as virtual text
---                          (default true; false: only as the server's inlay hint)

---@type { result: "split"|"notify", codelens: boolean, inline_result: boolean }
M.config = { result = "split", codelens = true, inline_result = true }

--- Keeps the code lenses of `bufnr` up to date (Neovim asks for them only when told): on
--- attaching, on entering the buffer, after a write and on leaving insert mode. The run's
--- outcome in "▶ Run with inputs · ✓ 44 ms" comes with the server's refresh.
---@param bufnr integer
function M.attach_lenses(bufnr)
  if not M.config.codelens then
    return
  end
  local group = vim.api.nvim_create_augroup("scriptcontract_codelens_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost", "InsertLeave" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end,
  })
  vim.lsp.codelens.refresh({ bufnr = bufnr })
end

--- The server's workspace/codeLens/refresh: asks again for the lenses of the client's buffers
--- shown in a window (the others are asked for when entered). Answers the request (null).
---@param client_id integer
---@return vim.NIL
function M.refresh_lenses(client_id)
  if M.config.codelens then
    for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client_id)) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.fn.bufwinid(bufnr) ~= -1 then
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end
    end
  end
  return vim.NIL
end

--- Stops keeping the lenses of `bufnr` (the client left it).
---@param bufnr integer
function M.detach_lenses(bufnr)
  pcall(vim.api.nvim_del_augroup_by_name, "scriptcontract_codelens_" .. bufnr)
end

--- Configures the server and enables it for Python buffers.
---@param opts? scriptcontract.Options
function M.setup(opts)
  opts = opts or {}
  vim.validate("cmd", opts.cmd, "table", true)
  vim.validate("settings", opts.settings, "table", true)
  vim.validate("result", opts.result, function(value)
    return value == nil or value == "split" or value == "notify"
  end, true, '"split" or "notify"')
  vim.validate("codelens", opts.codelens, "boolean", true)
  vim.validate("inline_result", opts.inline_result, "boolean", true)
  if opts.inline_result ~= nil then
    M.config.inline_result = opts.inline_result
  end
  M.config.result = opts.result or M.config.result
  if opts.codelens ~= nil then
    M.config.codelens = opts.codelens
  end
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
