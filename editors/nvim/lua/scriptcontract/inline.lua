-- A successful run's outcome beside its script's entry line ("✓ 12 ms → {...}"), as the
-- plugin's own virtual text. The server sends it as an inlay hint, which Neovim shows only
-- with inlay hints on for the buffer, and turning them on shows every other server's hints
-- too. The text and the line are the server's (its inlay hint), so both editors show the same.
local M = {}

M.ns = vim.api.nvim_create_namespace("scriptcontract.result")
-- The look of an inlay hint by default; a colour scheme or the user can set it apart.
vim.api.nvim_set_hl(0, "ScriptContractResult", { link = "LspInlayHint", default = true })

--- Buffers whose edits are followed (a mark on an edited line goes).
---@type table<integer, boolean>
local watching = {}
--- The text of the line each mark was put on, by buffer and mark.
---@type table<integer, table<integer, string>>
local texts = {}

--- Removes the outcome shown in `bufnr`.
---@param bufnr integer
function M.clear(bufnr)
  texts[bufnr] = nil
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
  end
end

--- Removes the marks whose line no longer reads as when the script ran; true when none is left.
---@param bufnr integer
---@return boolean
local function drop_edited(bufnr)
  local kept = texts[bufnr] or {}
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, M.ns, 0, -1, {})) do
    local line = vim.api.nvim_buf_get_lines(bufnr, mark[2], mark[2] + 1, false)[1]
    if line == nil or line ~= kept[mark[1]] then
      vim.api.nvim_buf_del_extmark(bufnr, M.ns, mark[1])
      kept[mark[1]] = nil
    end
  end
  return next(kept) == nil
end

--- Follows the edits of `bufnr` until its outcome is gone: the outcome describes the line as
--- it ran, so an edit of that line (or its deletion) takes it away; an edit elsewhere moves it
--- with its line.
---@param bufnr integer
local function watch(bufnr)
  if watching[bufnr] then
    return
  end
  watching[bufnr] = true
  vim.api.nvim_buf_attach(bufnr, false, {
    on_lines = function(_, buf)
      -- The marks move with the change only after this callback: look once it is done.
      vim.schedule(function()
        if vim.api.nvim_buf_is_valid(buf) and watching[buf] and drop_edited(buf) then
          M.clear(buf)
        end
      end)
      if texts[buf] == nil then
        watching[buf] = nil
        return true -- detaches
      end
    end,
    on_reload = function(_, buf)
      M.clear(buf)
    end,
    on_detach = function(_, buf)
      watching[buf] = nil
    end,
  })
end

--- An inlay hint's label as text (a string, or parts with a `value` each).
local function label_text(label)
  if type(label) == "string" then
    return label
  end
  local parts = {}
  for _, part in ipairs(type(label) == "table" and label or {}) do
    table.insert(parts, tostring(part.value or ""))
  end
  return table.concat(parts)
end

--- The hint's text less the outcome the code lens on the same line shows already: Neovim puts
--- both at the end of the entry line ("▶ Run with inputs · ✓ 12 ms" then "→ {...}", not "✓ 12
--- ms" twice). With the lenses left to the user (`codelens = false`), the whole hint.
---@param text string
---@return string
local function without_lens_outcome(text)
  local arrow = text:find("→", 1, true)
  if arrow == nil or not require("scriptcontract").config.codelens or text:sub(1, #"✓") ~= "✓" then
    return text
  end
  return text:sub(arrow)
end

--- After a successful run of `bufnr`'s script: asks the server for its outcome beside the entry
--- line (the inlay hint) and shows it as virtual text at the end of that line. Not when
--- `inline_result = false`, nor when inlay hints are on for the buffer (Neovim shows the
--- server's hint already). `on_done` gets the number of outcomes shown.
---@param client vim.lsp.Client
---@param bufnr integer
---@param on_done? fun(shown: integer)
function M.show(client, bufnr, on_done)
  local function done(count)
    if on_done then
      on_done(count)
    end
  end
  M.clear(bufnr)
  if not require("scriptcontract").config.inline_result or vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr }) then
    return done(0)
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 },
    },
  }
  client:request("textDocument/inlayHint", params, function(err, hints)
    if err ~= nil or type(hints) ~= "table" or not vim.api.nvim_buf_is_valid(bufnr) then
      return done(0)
    end
    local count = 0
    local last = vim.api.nvim_buf_line_count(bufnr) - 1
    for _, hint in ipairs(hints) do
      local text = without_lens_outcome(label_text(hint.label))
      if text ~= "" and hint.position.line <= last then
        local id = vim.api.nvim_buf_set_extmark(bufnr, M.ns, hint.position.line, 0, {
          virt_text = { { text, "ScriptContractResult" } },
          virt_text_pos = "eol",
          hl_mode = "combine",
          -- Drawn after the code lens (default priority 4096), whichever came first: "→ {...}"
          -- goes on from the lens's "✓ 12 ms".
          priority = 5000,
        })
        texts[bufnr] = texts[bufnr] or {}
        texts[bufnr][id] = vim.api.nvim_buf_get_lines(bufnr, hint.position.line, hint.position.line + 1, false)[1]
        count = count + 1
      end
    end
    if count > 0 then
      watch(bufnr)
    end
    done(count)
  end, bufnr)
end

return M
