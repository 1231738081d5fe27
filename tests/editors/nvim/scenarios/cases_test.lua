-- :ScriptContractTest on a script whose cases include one meant to fail: the quickfix list holds
-- that case at its expectation, the script shows where its run failed, the cases file (opened
-- from the quickfix list) shows the difference; then a case's code lens runs that case.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = h.open(workspace .. "/scripts/broken_no_error_handling.py")
  local notified = {}
  vim.notify = function(message, level)
    table.insert(notified, { message = message, level = level })
  end
  local answered = h.answer_of("the cases' answer", function(answer)
    require("scriptcontract.cases").test(script, answer)
  end, 60000)
  h.facts.outcomes = {}
  for _, case in ipairs(answered.cases) do
    h.facts.outcomes[case.name] = case.outcome
  end
  h.facts.quickfix_title, h.facts.quickfix = h.quickfix()
  h.facts.notified = notified
  h.facts.script_diagnostics =
    h.wait_diagnostics("the failing run's diagnostics in the script", script, "scriptcontract-cases")

  -- The quickfix entry opens the cases file, which the server checks and marks too.
  vim.cmd("cfirst")
  local cases = vim.api.nvim_get_current_buf()
  h.facts.opened = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(cases), ":t")
  h.facts.cursor_line = vim.api.nvim_win_get_cursor(0)[1]
  h.wait("the client on the cases file", function()
    return #vim.lsp.get_clients({ bufnr = cases, name = "scriptcontract" }) > 0
  end)
  h.facts.cases_diagnostics =
    h.wait_diagnostics("the failure's diagnostics in the cases file", cases, "scriptcontract-cases")

  -- A case's lens runs that case and then shows its outcome.
  local hello = h.open(workspace .. "/scripts/hello.cases.json")
  vim.lsp.codelens.refresh({ bufnr = hello })
  h.wait("the cases' lenses", function()
    return #vim.lsp.codelens.get(hello) >= 4
  end)
  local first_case
  for _, lens in ipairs(vim.lsp.codelens.get(hello)) do
    if lens.command and lens.command.title == "▶ Run case" and first_case == nil then
      first_case = lens
    end
  end
  assert(first_case, "no ▶ Run case lens")
  vim.api.nvim_win_set_cursor(0, { first_case.range.start.line + 1, 0 })
  vim.lsp.codelens.run()
  h.wait("the lens to show the case passed", function()
    vim.lsp.codelens.refresh({ bufnr = hello })
    for _, lens in ipairs(vim.lsp.codelens.get(hello)) do
      if lens.command and lens.command.title:match("^▶ Run case · ✓ %d+ ms$") then
        h.facts.lens_after = lens.command.title
        return true
      end
    end
    return false
  end, 30000)
  -- The lens's run went through the plugin: the quickfix list is now that run's (it passed).
  h.wait("the lens's run in the quickfix list", function()
    return vim.startswith(vim.fn.getqflist({ title = 0 }).title, "scriptcontract test: hello.py: ")
  end)
  local quickfix_after = vim.fn.getqflist({ title = 0, size = 0 })
  h.facts.quickfix_after_lens = { title = quickfix_after.title, size = quickfix_after.size }

  -- A case whose run failed where it should have succeeded: the message says so, and the
  -- first difference (the run's outcome) would say it again; one of the output would blame
  -- the output of a run that crashed.
  local range = { start = { line = 3, character = 4 }, ["end"] = { line = 3, character = 9 } }
  local function item(differences)
    local answer = { casesUri = vim.uri_from_fname(workspace .. "/scripts/x.cases.json"), cases = {
      { name = "n", outcome = "failed", message = "failed: 'items'", range = range, differences = differences },
    } }
    return require("scriptcontract.cases").quickfix_items(answer)[1].text
  end
  h.facts.quickfix_texts = {
    crashed = item({
      { where = "success", kind = "changed", message = "run: expected success, got a failure" },
      { where = "output.success", kind = "changed", message = "output.success: expected true, got false" },
    }),
    differs = item({ { where = "output.n", kind = "changed", message = "output.n: expected 1, got 2" } }),
  }

  -- Another JSON file of the project gets no server.
  vim.cmd.edit(vim.fn.fnameescape(workspace .. "/data/status.json"))
  vim.wait(200)
  h.facts.clients_on_plain_json = #vim.lsp.get_clients({ bufnr = vim.api.nvim_get_current_buf(), name = "scriptcontract" })
end
