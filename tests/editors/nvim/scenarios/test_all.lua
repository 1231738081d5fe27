-- :ScriptContractTestAll runs the cases of every script of the project (none in a folder the
-- command line skips), the unsaved script written first; the failures fill the quickfix list
-- and the summary is one line.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  -- A cases file in a virtual environment and one in node_modules: not the project's.
  for _, folder in ipairs({ "/.venv/lib", "/node_modules/pkg" }) do
    vim.fn.mkdir(workspace .. folder, "p")
    vim.fn.writefile({ "{" }, workspace .. folder .. "/broken.cases.json")
  end
  local bufnr = h.open(workspace .. "/scripts/hello.py")
  vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { "# an unsaved change" })
  vim.cmd("ScriptContractTestAll")
  -- The command's own run is followed through the notifications; a second run gives the facts.
  h.wait_notification("^scriptcontract: %d+ cases: ", 60000)
  local done = h.answer_of("the second run's summary", function(answer)
    require("scriptcontract.test_all").test_all(bufnr, answer)
  end, 60000)
  h.facts.summary = done.text
  h.facts.files = done.files
  h.facts.modified = vim.bo[bufnr].modified
  h.facts.quickfix_title, h.facts.quickfix = h.quickfix()
  h.facts.quickfix_open = vim.fn.getqflist({ winid = 0 }).winid ~= 0
end
