-- A script's inputs file (hello.inputs.json): the client attaches to it, a value of the wrong
-- type and a key the script never reads are marked at their keys, and completion on a blank
-- line of the object offers the key the script reads, with its type and default, and after
-- its colon the default value replaces the half-typed string; hover on a key says its type,
-- default and where it is read; go to definition from a key opens the script at the line
-- that reads it.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local bufnr = h.open(workspace .. "/scripts/hello.inputs.json")
  local function set(lines)
    vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  end
  set({ "{", '  "name": 5,', '  "nam": "Ada"', "}" })
  h.wait("the inputs file's diagnostics", function()
    return #h.diagnostics(bufnr, "scriptcontract-inputs") == 2
  end)
  h.facts.diagnostics = h.diagnostics(bufnr, "scriptcontract-inputs")
  -- Fixed, they go away (the round trip behind the "nothing" of a correct file).
  set({ "{", '  "name": "Ada"', "}" })
  h.wait("no diagnostics left", function()
    return #h.diagnostics(bufnr, "scriptcontract-inputs") == 0
  end)
  set({ "{", "  ", "}" })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 1, character = 2 },
  }
  local answers = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 20000)
  h.facts.completion = {}
  for _, answer in pairs(answers or {}) do
    for _, item in ipairs((answer.result or {}).items or {}) do
      table.insert(h.facts.completion, {
        label = item.label,
        detail = item.detail,
        new_text = item.textEdit and item.textEdit.newText,
      })
    end
  end
  -- After the key's colon, its values: the default replaces the half-typed string, quotes too.
  set({ "{", '  "name": "Wo"', "}" })
  params.position = { line = 1, character = #'  "name": "Wo' }
  answers = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 20000)
  h.facts.value_completion = {}
  for _, answer in pairs(answers or {}) do
    for _, item in ipairs((answer.result or {}).items or {}) do
      table.insert(h.facts.value_completion, {
        label = item.label,
        detail = item.detail,
        preselect = item.preselect == true,
        new_text = item.textEdit and item.textEdit.newText,
        from = item.textEdit and item.textEdit.range.start.character,
        to = item.textEdit and item.textEdit.range["end"].character,
      })
    end
  end
  -- Hover on the key: what the user reads in the window, which shows the markdown's source.
  set({ '{"name": "Ada"}' })
  vim.api.nvim_win_set_cursor(0, { 1, 3 })
  local lines, float = h.hover_lines()
  h.facts.hover_lines = lines
  vim.api.nvim_win_close(float, true)
  -- Go to definition from the key: Neovim's own vim.lsp.buf.definition() jumps to the script.
  vim.api.nvim_win_set_cursor(0, { 1, 3 })
  vim.lsp.buf.definition()
  h.wait("the jump to the script", function()
    return vim.api.nvim_buf_get_name(0):match("hello%.py$") ~= nil
  end)
  h.facts.definition = {
    file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ":t"),
    line = vim.api.nvim_get_current_line(),
    column = vim.api.nvim_win_get_cursor(0)[2],
  }
end
