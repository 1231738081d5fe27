-- `:ScriptContractTestAll`: every script's recorded cases in the project, as `scriptcontract
-- test` runs them (VS Code's Test: Run All Tests), through the language server one cases file
-- after another; the failures go in one quickfix list and the summary is the command line's.
local M = {}

local NAME = "scriptcontract"
local SUFFIX = "%.cases%.json$"

local function notify(message, level)
  require("scriptcontract.run").notify(message, level)
end

--- Asks the server for the cases files under `root`: those `scriptcontract test` runs there
--- (.gitignore, tracked files, virtual environments and nested projects decided as the
--- command line decides them), so that a green "test all" says what the CI will.
---@param client vim.lsp.Client
---@param root string
---@param on_files fun(files: string[]|nil, err: string|nil)
function M.cases_files(client, root, on_files)
  local params = { command = "scriptcontract.findCasesFiles", arguments = { { uri = vim.uri_from_fname(root) } } }
  client:request("workspace/executeCommand", params, function(err, answer)
    if err ~= nil or type(answer) ~= "table" or type(answer.files) ~= "table" then
      local why = err ~= nil and (err.message or vim.inspect(err)) or "the server gave no list of cases files"
      return on_files(nil, why)
    end
    local files = {}
    for _, uri in ipairs(answer.files) do
      table.insert(files, vim.uri_to_fname(uri))
    end
    on_files(files, nil)
  end)
end

--- The scriptcontract client to run with: the current buffer's, else any running one.
---@param bufnr integer
---@return vim.lsp.Client|nil
local function client_for(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1] or vim.lsp.get_clients({ name = NAME })[1]
  if client == nil then
    notify(require("scriptcontract.run").why_no_client(bufnr), vim.log.levels.ERROR)
  end
  return client
end

--- Writes the open scripts of `files` that have unsaved changes: a run executes the file on
--- disk, and the server refuses the cases of a script whose buffer differs from it.
---@param files string[]
---@return boolean  false (after saying why) when one could not be written
local function write_scripts(files)
  for _, cases in ipairs(files) do
    local name = cases:gsub(SUFFIX, ".py") -- (one value: gsub's count would be bufnr's create)
    local script = vim.fn.bufnr(name)
    if script ~= -1 and vim.api.nvim_buf_is_loaded(script) and vim.bo[script].modified then
      local ok, err = pcall(vim.api.nvim_buf_call, script, function()
        vim.cmd("silent update")
      end)
      if not ok then
        local reason = tostring(err):match("(E%d+:.*)$") or tostring(err)
        notify("cannot write " .. vim.fn.fnamemodify(name, ":t") .. ": " .. reason, vim.log.levels.ERROR)
        return false
      end
    end
  end
  return true
end

--- :ScriptContractTestAll: runs the cases of every script of the project of `bufnr`'s client.
---@param bufnr integer
---@param on_done? fun(summary: { text: string, counts: table, files: string[] })
function M.test_all(bufnr, on_done)
  local client = client_for(bufnr)
  if client == nil then
    return
  end
  local root = client.root_dir
  if type(root) ~= "string" or root == "" then
    notify("the language server has no project folder: open a script of the project first", vim.log.levels.ERROR)
    return
  end
  M.cases_files(client, root, function(files, why)
    if files == nil then
      notify("cannot find the cases files: " .. why, vim.log.levels.ERROR)
      return
    end
    if #files == 0 then
      notify("no cases found in " .. vim.fn.fnamemodify(root, ":~") .. ": the cases of scripts/x.py are in scripts/x.cases.json", vim.log.levels.WARN)
      return
    end
    if not write_scripts(files) then
      return
    end
    notify(string.format("running the cases of %d script%s…", #files, #files == 1 and "" or "s"))
    local cases = require("scriptcontract.cases")
    local counts = { passed = 0, failed = 0, error = 0, files_with_errors = 0 }
    local items = {}
    local started = vim.uv.hrtime()
    local function finish()
      local text = cases.summary_of(counts, (vim.uv.hrtime() - started) / 1e9)
      vim.fn.setqflist({}, " ", { title = "scriptcontract test: " .. text, items = items })
      local failed = counts.failed + counts.error + counts.files_with_errors > 0
      notify(text, failed and vim.log.levels.WARN or vim.log.levels.INFO)
      if #items > 0 then
        vim.cmd("botright copen")
        vim.cmd("wincmd p")
      end
      if on_done then
        on_done({ text = text, counts = counts, files = files })
      end
    end
    local function step(index)
      local file = files[index]
      if file == nil then
        return finish()
      end
      local params = { command = "scriptcontract.runCases", arguments = { { uri = vim.uri_from_fname(file) } } }
      client:request("workspace/executeCommand", params, function(err, answer)
        local refused = err ~= nil and (err.message or vim.inspect(err))
        if not refused and type(answer) == "table" and answer.error ~= nil and answer.error ~= vim.NIL then
          refused = tostring(answer.error)
        end
        local refused_cases = not err and type(answer) == "table" and cases.refused_items(answer) or {}
        if #refused_cases > 0 then
          -- Cases the declared schema refuses: each at its case, with its problems (the whole
          -- refusal on one line of the list said none of them readably).
          counts.files_with_errors = counts.files_with_errors + 1
          vim.list_extend(items, refused_cases)
        elseif refused then
          -- The file's mistake, in the list at its start (the server said it as a message too).
          counts.files_with_errors = counts.files_with_errors + 1
          table.insert(items, { filename = file, lnum = 1, col = 1, text = refused, type = "E" })
        elseif type(answer) == "table" then
          cases.count(answer, counts)
          vim.list_extend(items, cases.quickfix_items(answer))
        end
        step(index + 1)
      end)
    end
    step(1)
  end)
end

return M
