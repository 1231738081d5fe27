-- A stale expectation, from :ScriptContractTest to "Accept actual output" to passing; then a run
-- with inputs becomes a case through the script's "+ Add as case" lens, and passes too.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local path = workspace .. "/scripts/hello.cases.json"
  -- The script says "Hello, Ada!": this expectation went stale.
  h.edit_file(path, "Hello, Ada!", "Hi Ada")
  local notified = {}
  vim.notify = function(message, level)
    table.insert(notified, { message = message, level = level })
  end

  local function test_and_wait(what)
    vim.fn.setqflist({}, " ", { title = "not yet" })
    vim.cmd("ScriptContractTest")
    h.wait(what, function()
      return vim.startswith(vim.fn.getqflist({ title = 0 }).title, "scriptcontract test: hello.py: ")
    end, 60000)
    local items = {}
    for _, item in ipairs(vim.fn.getqflist()) do
      table.insert(items, { lnum = item.lnum, text = item.text })
    end
    return items
  end

  local cases = h.open(path)
  h.facts.quickfix_stale = test_and_wait("the stale case in the quickfix list")
  local failure = h.wait_diagnostics("the failure's diagnostic in the cases file", cases, "scriptcontract-cases")[1]
  h.facts.failure = failure
  vim.api.nvim_set_current_buf(cases)
  vim.api.nvim_win_set_cursor(0, { failure.lnum + 1, failure.col })
  local before = h.buffer_text(cases)
  h.facts.offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(h.facts.offered, action.title)
      return action.title:match("^Accept actual output") ~= nil
    end,
  })
  h.wait("the accepted output in the buffer", function()
    return h.buffer_text(cases) ~= before
  end)
  h.facts.accepted_line = vim.api.nvim_buf_get_lines(cases, failure.lnum, failure.lnum + 1, false)[1]
  vim.api.nvim_buf_call(cases, function()
    vim.cmd("silent write")
  end)
  h.facts.quickfix_accepted = test_and_wait("the cases to run again")

  -- A run with inputs, then its lens "+ Add as case" (one of the lenses on the script's line).
  local script = h.open(workspace .. "/scripts/hello.py")
  vim.cmd('ScriptContractRun {"name": "Zed"}')
  -- A success is no diagnostic (an inlay hint beside the entry line): its result window says it.
  h.result_lines("hello.py", "Hello, Zed!")
  vim.api.nvim_set_current_buf(script)
  local add
  h.wait("the + Add as case lens", function()
    vim.lsp.codelens.refresh({ bufnr = script })
    for _, lens in ipairs(vim.lsp.codelens.get(script)) do
      if lens.command and lens.command.title == "+ Add as case" then
        add = lens
        return true
      end
    end
    return false
  end)
  vim.ui.select = function(items, opts, on_choice)
    h.facts.lens_choices = vim.tbl_map(opts.format_item, items)
    for i, item in ipairs(items) do
      if opts.format_item(item) == "+ Add as case" then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { add.range.start.line + 1, 0 })
  vim.lsp.codelens.run()
  h.wait("the case written to the cases file", function()
    return table.concat(vim.fn.readfile(path), "\n"):find("Zed", 1, true) ~= nil
  end)
  h.facts.cases_modified = vim.bo[cases].modified
  h.facts.written = vim.json.decode(table.concat(vim.fn.readfile(path), "\n"))
  vim.api.nvim_set_current_buf(script)
  h.facts.quickfix_added = test_and_wait("the cases with the new one")
  h.facts.notified = notified
  -- Neovim echoes the server's window/showMessage into the message history.
  h.facts.messages = vim.fn.execute("messages")
end
