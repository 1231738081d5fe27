-- :ScriptContractTestAll asks the server which cases files to run: one in a folder the
-- project's .gitignore names is not run, the same file in a folder it does not name is.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = vim.fn.readfile(workspace .. "/scripts/hello.py")
  local cases = vim.fn.readfile(workspace .. "/scripts/hello.cases.json")
  local inputs = vim.fn.readfile(workspace .. "/scripts/hello.inputs.json")
  -- Below scripts/, which the examples' `include` names: the copies are scripts `check` checks.
  for _, folder in ipairs({ "scripts/generated", "scripts/kept" }) do
    vim.fn.mkdir(workspace .. "/" .. folder, "p")
    vim.fn.writefile(script, workspace .. "/" .. folder .. "/copy.py")
    vim.fn.writefile(cases, workspace .. "/" .. folder .. "/copy.cases.json")
    vim.fn.writefile(inputs, workspace .. "/" .. folder .. "/hello.inputs.json")
  end
  vim.fn.writefile({ "scripts/generated/" }, workspace .. "/.gitignore")
  local bufnr = h.open(workspace .. "/scripts/hello.py")
  local done
  require("scriptcontract.test_all").test_all(bufnr, function(summary)
    done = summary
  end)
  h.wait("the run's summary", function()
    return done ~= nil
  end, 60000)
  h.facts.summary = done.text
  h.facts.files = done.files
end
