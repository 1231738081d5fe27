-- The server's window/showMessage as one line (a longer message would stop Neovim at a
-- "Press ENTER" prompt); the whole text goes to the LSP log (:LspLog).
local M = {}

local LEVELS = {
  [1] = vim.log.levels.ERROR,
  [2] = vim.log.levels.WARN,
  [3] = vim.log.levels.INFO,
  [4] = vim.log.levels.DEBUG,
}

---@param params lsp.ShowMessageParams
---@param ctx lsp.HandlerContext
function M.show_message(params, ctx)
  local message = tostring(params.message or "")
  local level = LEVELS[params.type] or vim.log.levels.INFO
  vim.lsp.log.info("scriptcontract (client " .. tostring(ctx.client_id) .. "): " .. message)
  vim.notify(require("scriptcontract.run").one_line("scriptcontract: " .. message), level)
  return vim.NIL
end

return M
