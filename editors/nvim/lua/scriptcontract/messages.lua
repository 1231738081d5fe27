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
  local whole = "scriptcontract: " .. message
  local line = require("scriptcontract.run").one_line(whole)
  -- A message cut to its line must be readable whole: :LspLog records warnings and errors by
  -- default, not information.
  local log = (line ~= whole or level >= vim.log.levels.WARN) and vim.lsp.log.warn or vim.lsp.log.info
  log("scriptcontract (client " .. tostring(ctx.client_id) .. "): " .. message)
  vim.notify(line, level)
  return vim.NIL
end

--- Asks whether to do anyway what the declared schema refused (`verb`: "Run", "Debug"); the
--- choice calls `redo` while the buffer is still there.
---@param bufnr integer
---@param script string
---@param verb string
---@param redo fun()
function M.offer_anyway(bufnr, script, verb, redo)
  vim.schedule(function()
    local prompt = script .. ": the inputs do not match its declared schema"
    local yes = verb .. " anyway"
    vim.ui.select({ yes, "Do not " .. verb:lower() }, { prompt = prompt }, function(choice)
      if choice == yes and vim.api.nvim_buf_is_valid(bufnr) then
        redo()
      end
    end)
  end)
end

return M
