-- A run's inputs held to the script's schema: its declared schema refuses them (the result
-- window says why, line by line) and "Run anyway" runs them; without one, a key the script
-- never reads is a warning, and the run goes on.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local schema = { type = "object", required = { "name" }, properties = { name = { type = "string" } } }
  vim.fn.writefile({ vim.json.encode(schema) }, "scripts/hello.schema.json")
  h.choose("Run anyway")
  local hello = h.open("scripts/hello.py")
  vim.cmd('ScriptContractRun {"nam": 3}')
  h.facts.refused = h.result_lines("hello.py", "nothing was run")
  h.facts.ran_anyway = h.result_lines("hello.py", "Hello, World!")
  h.facts.offered_anyway = h.facts.offered

  -- No declared schema: the one inferred from the code only warns.
  vim.fn.delete("scripts/hello.schema.json")
  h.choose("nothing is offered after a warning")
  h.facts.offered = nil
  vim.cmd('ScriptContractRun {"nam": "Ada"}')
  h.facts.warned = h.result_lines("hello.py", "never reads")
  h.facts.warning = h.wait_notification("never reads this key").message
  h.round_trip(hello)
  vim.wait(100) -- (the offer is made on the next turn of the loop: see run.lua)
  h.facts.offered_after_warning = h.facts.offered or "nothing"

  -- The cases are held to it as a run is: refused, then run anyway.
  vim.fn.writefile({ vim.json.encode(schema) }, "scripts/hello.schema.json")
  local case = { name = "typo", inputs = { nam = "x" }, expect = { success = true } }
  vim.fn.writefile({ vim.json.encode({ cases = { case } }) }, "scripts/hello.cases.json")
  h.choose("Run anyway")
  -- The quickfix list as the offer is made (the run anyway replaces it with its own).
  local choose = vim.ui.select
  vim.ui.select = function(...)
    h.facts.refused_quickfix = vim.tbl_map(function(item)
      return { file = vim.fn.fnamemodify(vim.fn.bufname(item.bufnr), ":t"), lnum = item.lnum, text = item.text }
    end, vim.fn.getqflist())
    h.facts.refused_title = vim.fn.getqflist({ title = 1 }).title
    return choose(...)
  end
  h.facts.offered = nil
  local client = vim.lsp.get_clients({ bufnr = hello, name = "scriptcontract" })[1]
  local answered
  require("scriptcontract.cases").run_cases(client, hello, { uri = vim.uri_from_bufnr(hello) }, function(answer)
    answered = answer
  end)
  h.wait("the cases run anyway", function()
    return answered ~= nil
  end, 30000)
  h.facts.cases_refusal = h.wait_notification("refused by the declared schema").message
  h.facts.cases_offered = h.facts.offered
  h.facts.cases_run = answered.cases

  -- :ScriptContractTestAll lists the refused case at its case, with its problems.
  local done = h.answer_of("the cases of the project", function(answer)
    require("scriptcontract.test_all").test_all(hello, answer)
  end, 60000)
  h.facts.test_all_summary = done.text
  local _, listed = h.quickfix()
  h.facts.test_all_refused = vim.tbl_filter(function(item)
    return item.file == "hello.cases.json"
  end, listed)
end
